/// Every HTTP server of the process: ingest, up, /metrics, serve:// (`http.*`).
public struct HTTPKnobs: Sendable {
    public let tlsCert: Setting<String?> = Setting(
        "http.tls_cert", env: "HTTP_TLS_CERT", flag: "--tls-cert", .text("a PEM file: the server's certificate chain (with http.tls_key: HTTPS, HTTP/2 where the client asks)"),
        help: "PEM certificate chain: serve HTTPS, HTTP/2 where the client asks", shownDefault: "none (plain HTTP)")
    public let tlsKey: Setting<String?> = Setting(
        "http.tls_key", env: "HTTP_TLS_KEY", flag: "--tls-key", .text("a PEM file: the certificate's private key"),
        help: "PEM private key of --tls-cert", shownDefault: "none")
    public let readToken: Setting<String?> = Setting(
        "http.read_token", env: "HTTP_READ_TOKEN", flag: "--read-token", .secret("a bearer token every GET but /health needs, /metrics included (secret, never logged; the write token also reads)"),
        help: "Bearer token every GET but /health needs, /metrics included", shownDefault: "none (reads open)", isSecret: true)
    public let idleTimeout: Setting<String?> = Setting(
        "http.idle_timeout", env: "HTTP_IDLE_TIMEOUT", flag: "--idle-timeout", .text("a duration, 1s-1h: a connection with no request in progress for this long is closed"),
        help: "Close a connection with no request for this long", shownDefault: "60s")
    public let headerTimeout: Setting<String?> = Setting(
        "http.header_timeout", env: "HTTP_HEADER_TIMEOUT", flag: "--header-timeout", .text("a duration, 100ms-10m: a request's line and headers must arrive within it (else 408)"),
        help: "A request's line and headers must arrive within this, else 408", shownDefault: "10s")
    public let maxConnections: Setting<String?> = Setting(
        "http.max_connections", env: "HTTP_MAX_CONNECTIONS", flag: "--max-connections", .text("1-1000000 open connections; more are answered 503 and closed"),
        help: "Connections open at once; more get 503", shownDefault: "1024")

    public init() {}
}
