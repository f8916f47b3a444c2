import Logging
import Observability
import ServiceLifecycle
import Settings

/// Where `generate` and `sink` serve `/metrics` (`metrics.port`, `metrics.host`); none unless a
/// port is set.
struct MetricsEndpoint {
    var host: String
    var port: Int

    static func from(_ values: ConfigValues) throws(ConfigurationError) -> MetricsEndpoint? {
        guard let port = try values.int("metrics.port", in: 0...65_535) else { return nil }
        return MetricsEndpoint(host: values.string("metrics.host") ?? "0.0.0.0", port: port)
    }

    /// The server, with `collector` run before each scrape.
    func server(collector: @escaping @Sendable () async -> Void, logger: Logger) -> MetricsServer {
        MetricsExposition.shared.addCollector(collector)
        return MetricsServer(host: host, port: port, logger: logger)
    }
}
