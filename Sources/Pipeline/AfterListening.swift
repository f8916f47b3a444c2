import GeneratorRuntime
import ServiceLifecycle

/// A generator that starts once `up`'s server listens (it posts to it).
struct AfterListening: Service {
    let port: ListeningPort
    let make: @Sendable (Int) -> GeneratorService

    func run() async throws {
        let port = await cancelWhenGracefulShutdown { await self.port.wait() }
        guard let port = port ?? nil else { return }
        try await make(port).run()
    }
}
