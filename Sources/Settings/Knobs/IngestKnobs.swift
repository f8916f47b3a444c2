/// `netchaos ingest` (`ingest.*`, the Go ingester's settings too).
public struct IngestKnobs: Sendable {
    public let host: Setting<String?> = Setting(
        "ingest.host", env: "INGEST_HOST", flag: "--host", .text("an address to listen on"),
        help: "Address to listen on", shownDefault: "0.0.0.0")
    public let port: Setting<String?> = Setting(
        "ingest.port", env: "INGEST_PORT", flag: "--port", .text("0-65535 (0: a free port, logged)"),
        help: "Port", shownDefault: "8080")
    public let maxBody: Setting<String?> = Setting(
        "ingest.max_body", env: "INGEST_MAX_BODY", flag: "--max-body", .text("1KB-1GB; larger bodies get 413"),
        help: "Largest request body", shownDefault: "16MB")
    public let token: Setting<String?> = Setting(
        "ingest.token", env: "INGEST_TOKEN", .secret("a bearer token POST /telemetry needs (secret, never logged)"),
        help: "", shownDefault: "none (writes open)", isSecret: true)
    public let reportTtl: Setting<String?> = Setting(
        "ingest.report_ttl", env: "INGEST_REPORT_TTL", .text("how long a snapshot's reports live, at least 1s"),
        help: "", shownDefault: "30s")
    public let history: Setting<String?> = Setting(
        "ingest.history", env: "INGEST_HISTORY", .text("history length: reports kept per switch (Redis: snapshots kept), 1-100000"),
        help: "", shownDefault: "360")
    public let generatorUrl: Setting<String?> = Setting(
        "ingest.generator_url", env: "GENERATOR_URL", flag: "--generator-url", .text("http(s)://host:port of a generator serving /counters (pull mode)"),
        help: "Pull /counters from this generator", shownDefault: "none")
    public let pullInterval: Setting<String?> = Setting(
        "ingest.pull_interval", env: "PULL_INTERVAL", flag: "--pull-interval", .text("a duration, at least 10ms"),
        help: "Seconds between pulls", shownDefault: "10s")
    public let maxFutureSkew: Setting<String?> = Setting(
        "ingest.max_future_skew", env: "INGEST_MAX_FUTURE_SKEW", flag: "--max-future-skew", .text("a duration, at least 1s: a record whose timestamp is further ahead of the server's clock is refused (400)"),
        help: "Refuse records whose timestamp is further ahead of this server's clock", shownDefault: "5m")
    public let lenient: Setting<String?> = Setting(
        "ingest.lenient", env: "INGEST_LENIENT", flag: "--lenient", .text("true or false: true accepts duplicate keys (the last wins) and unknown fields or CSV columns (skipped), counted"),
        help: "Accept duplicate keys (the last wins) and unknown fields or CSV columns (skipped), counted, instead of refusing them", shownDefault: "false")

    public init() {}
}
