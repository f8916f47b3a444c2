import Configuration
import HTTPServing
import Logging
import Observability
import ServiceLifecycle
import Settings

/// Where `generate` and `sink` serve `/metrics` (`metrics.port`, `metrics.host`, and the `http.*`
/// knobs); none unless a port is set.
struct MetricsEndpoint {
    var configuration: HTTPServerConfiguration

    static func from(_ reader: ConfigReader) throws(ConfigurationError) -> MetricsEndpoint? {
        let values = ConfigValues(reader)
        let knobs = Knobs.general
        guard let port = try values.value(knobs.metricsPort) else { return nil }
        let configuration = try HTTPServerConfiguration(
            config: reader, host: try values.value(knobs.metricsHost), port: port, hostKey: knobs.metricsHost.key, portKey: knobs.metricsPort.key
        )
        // A bad TLS file stops the start here, before anything runs.
        try HTTPServer.check(configuration)
        return MetricsEndpoint(configuration: configuration)
    }

    /// The server, with `collector` run before each scrape.
    func server(collector: @escaping @Sendable () async -> Void, logger: Logger) -> MetricsServer {
        MetricsExposition.shared.addCollector(collector)
        return MetricsServer(configuration: configuration, logger: logger)
    }
}
