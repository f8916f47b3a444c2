import GeneratorRuntime
import ServiceLifecycle
import TelemetrySink

/// The flow generator of `up`; once it has finished, the sink finishes too when it has stored
/// everything up to the end (with Kafka; the in-process queue tells the sink by closing).
struct ThenFinishSink: Service {
    let generator: GeneratorService
    let sink: SinkService
    let stopping: StopLatch

    func run() async throws {
        do {
            try await withGracefulShutdownHandler {
                try await generator.run()
            } onGracefulShutdown: {
                stopping.set()
            }
        } catch {
            sink.finishAtEnd()
            throw error
        }
        sink.finishAtEnd()
        // A generator that ran to its count finishes while the sink still stores; the sink's end
        // shuts the group down from the last service to the first, and a service that returns
        // before its turn counts as a failure (the switch generator may still be posting when
        // this one ends). So wait for the turn; a cancelled group ends the wait too.
        try? await gracefulShutdown()
    }
}
