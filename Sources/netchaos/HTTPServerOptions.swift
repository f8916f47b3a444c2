import ArgumentParser
import Configuration

/// Flags of every command that runs an HTTP server (`http.*` knobs).
struct HTTPServerOptions: ParsableArguments {
    @Option(name: .customLong("tls-cert"), parsing: .unconditional, help: "PEM certificate chain: serve HTTPS, HTTP/2 where the client asks (env HTTP_TLS_CERT).") var tlsCert: String?
    @Option(name: .customLong("tls-key"), parsing: .unconditional, help: "PEM private key of --tls-cert (env HTTP_TLS_KEY).") var tlsKey: String?
    @Option(name: .customLong("read-token"), parsing: .unconditional, help: "Bearer token every GET but /health needs, /metrics included (env HTTP_READ_TOKEN; default: reads open).") var readToken: String?
    @Option(name: .customLong("idle-timeout"), parsing: .unconditional, help: "Close a connection with no request for this long (env HTTP_IDLE_TIMEOUT, default 60s).") var idleTimeout: String?
    @Option(name: .customLong("header-timeout"), parsing: .unconditional, help: "A request's line and headers must arrive within this, else 408 (env HTTP_HEADER_TIMEOUT, default 10s).") var headerTimeout: String?
    @Option(name: .customLong("max-connections"), parsing: .unconditional, help: "Connections open at once; more get 503 (env HTTP_MAX_CONNECTIONS, default 1024).") var maxConnections: String?

    var flagValues: [String: ConfigContent] {
        var values: [String: ConfigContent] = [:]
        let pairs: [(String, String?)] = [
            ("http.tls_cert", tlsCert), ("http.tls_key", tlsKey), ("http.read_token", readToken), ("http.idle_timeout", idleTimeout),
            ("http.header_timeout", headerTimeout), ("http.max_connections", maxConnections),
        ]
        for case let (key, value?) in pairs { values[key] = .string(value) }
        return values
    }
}
