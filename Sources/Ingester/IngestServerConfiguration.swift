import Configuration
import HTTPServing
import Settings

extension HTTPServerConfiguration {
    /// The HTTP server of the ingester API (`ingest`, or `up` on its own port): the `http.*`
    /// knobs, the write token also reading, and no open writes once TLS is on.
    public static func forIngest(
        _ ingest: IngestConfiguration, config: ConfigReader, host: String? = nil, port: Int? = nil, hostKey: String = "ingest.host", portKey: String = "ingest.port"
    ) throws(ConfigurationError) -> HTTPServerConfiguration {
        var server = try HTTPServerConfiguration(config: config, host: host ?? ingest.host, port: port ?? ingest.port, hostKey: hostKey, portKey: portKey)
        if let token = ingest.token { server.alsoReads = [token] }
        if server.tls != nil, ingest.token == nil {
            throw ConfigurationError(key: Knobs.ingest.token.key, value: "", allowed: "a bearer token: with TLS on (http.tls_cert), writes need one")
        }
        try HTTPServer.check(server)
        return server
    }
}
