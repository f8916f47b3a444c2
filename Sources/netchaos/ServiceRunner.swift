import Logging
import ServiceLifecycle

/// Runs one command's service in a `ServiceGroup`: until it returns, or until SIGINT/SIGTERM
/// asks it to shut down gracefully (a second signal stops at once: ``StopSignals``). Lifecycle
/// chatter stays out of the JSON logs.
enum ServiceRunner {
    static func run(_ service: some Service) async throws {
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: service, successTerminationBehavior: .gracefullyShutdownGroup)],
                logger: Logger(label: "netchaos.lifecycle", factory: { _ in SwiftLogNoOpLogHandler() })
            )
        )
        try await runWatchingSignals(group)
    }

    /// Runs `primary` until it returns or a signal comes; `others` run beside it and may finish
    /// first (a generator that reached its count while its server keeps serving).
    static func run(primary: some Service, alongside others: [any Service]) async throws {
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: primary, successTerminationBehavior: .gracefullyShutdownGroup)]
                    + others.map { .init(service: $0, successTerminationBehavior: .ignore, failureTerminationBehavior: .gracefullyShutdownGroup) },
                logger: Logger(label: "netchaos.lifecycle", factory: { _ in SwiftLogNoOpLogHandler() })
            )
        )
        try await runWatchingSignals(group)
    }

    /// Runs `group` with SIGINT and SIGTERM watched (``StopSignals``).
    static func runWatchingSignals(_ group: ServiceGroup) async throws {
        let signals = StopSignals(group: group)
        defer { signals.cancel() }
        try await group.run()
    }
}
