/// Every HTTP server of the process: ingest, up, /metrics, serve:// (`http.*`). The defaults are
/// `HTTPServerConfiguration`'s (a test checks that they agree).
public struct HTTPKnobs: Sendable {
    public let tlsCert: Setting<String?> = Setting(
        "http.tls_cert", env: "HTTP_TLS_CERT", flag: "--tls-cert", .text("a readable PEM file"),
        help: "The server's certificate chain: serve HTTPS (with --tls-key), HTTP/2 where the client asks", shownDefault: "none (plain HTTP)")
    public let tlsKey: Setting<String?> = Setting(
        "http.tls_key", env: "HTTP_TLS_KEY", flag: "--tls-key", .text("a readable PEM file"),
        help: "The certificate's private key", shownDefault: "none")
    public let readToken: Setting<String?> = Setting(
        "http.read_token", env: "HTTP_READ_TOKEN", flag: "--read-token", .secret("a bearer token (secret, never logged; the write token also reads)"),
        help: "Bearer token every GET but /health needs, /metrics included", shownDefault: "none (reads open)", isSecret: true)
    public let idleTimeout: Setting<Double> = Setting(
        "http.idle_timeout", env: "HTTP_IDLE_TIMEOUT", flag: "--idle-timeout", default: 60, .duration(in: 1...3_600),
        help: "Close a connection with no request in progress for this long")
    public let headerTimeout: Setting<Double> = Setting(
        "http.header_timeout", env: "HTTP_HEADER_TIMEOUT", flag: "--header-timeout", default: 10, .duration(in: 0.1...600),
        help: "A request's line and headers must arrive within this, else 408")
    public let maxConnections: Setting<Int> = Setting(
        "http.max_connections", env: "HTTP_MAX_CONNECTIONS", flag: "--max-connections", default: 1_024, .int(in: 1...1_000_000),
        help: "Connections open at once; more are answered 503 and closed")

    public init() {}
}
