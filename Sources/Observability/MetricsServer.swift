import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// `GET /metrics` (and `GET /health`) on a port of its own, for the roles that serve no other
/// HTTP (`generate`, `sink`); `ingest` and `up` add ``route(to:exposition:)`` to their router.
public struct MetricsServer: Service {
    public let host: String
    public let port: Int
    private let exposition: MetricsExposition
    private let logger: Logger

    public init(host: String, port: Int, exposition: MetricsExposition = .shared, logger: Logger) {
        self.host = host
        self.port = port
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

    public func run() async throws {
        let router = Router()
        Self.route(to: router, exposition: exposition)
        router.get("/health") { _, _ in "OK" }
        let logger = logger
        let app = Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "netchaos"),
            onServerRunning: { channel in
                logger.info("metrics listening", metadata: [
                    "metrics.address": "\(host)", "metrics.port": .stringConvertible(channel.localAddress?.port ?? port),
                ])
            },
            logger: Logger(label: "netchaos.metrics.http", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        try await app.runService()
    }
}
