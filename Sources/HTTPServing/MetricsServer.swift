import Hummingbird
import Logging
import NIOCore
import Observability
import ServiceLifecycle
import Settings

/// `GET /metrics` (and `GET /health`) on a port of its own, for the roles that serve no other
/// HTTP (`generate`, `sink`); `ingest` and `up` add ``route(to:exposition:)`` to their router.
public struct MetricsServer: Service {
    public let configuration: HTTPServerConfiguration
    private let exposition: MetricsExposition
    private let logger: Logger

    public init(configuration: HTTPServerConfiguration, exposition: MetricsExposition = .shared, logger: Logger) {
        self.configuration = configuration
        self.exposition = exposition
        self.logger = logger
    }

    /// Adds `GET /metrics` to `router`.
    public static func route<Context: RequestContext>(to router: Router<Context>, exposition: MetricsExposition = .shared) {
        router.get("/metrics") { _, _ in
            let bytes = await exposition.render()
            return Response(
                status: .ok, headers: [.contentType: MetricsExposition.contentType],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes))
            )
        }
    }

    /// The server's application: `/metrics` and `/health` on the shared HTTP layer.
    public func application() throws(ConfigurationError) -> some Service {
        let router = Router()
        Self.route(to: router, exposition: exposition)
        router.get("/health") { _, _ in "OK" }
        let logger = logger
        let configuration = configuration
        return try HTTPServer.application(router: router, configuration: configuration, serverName: "netchaos") { channel in
            logger.info("metrics listening", metadata: [
                "metrics.address": "\(configuration.host)", "metrics.port": .stringConvertible(channel.localAddress?.port ?? configuration.port),
                "metrics.scheme": "\(configuration.scheme)",
            ])
        }
    }

    public func run() async throws {
        try await application().run()
    }
}
