/// `netchaos ingest` (`ingest.*`, the Go ingester's settings too). The defaults are
/// `IngestConfiguration`'s (a test checks that they agree).
public struct IngestKnobs: Sendable {
    public let host: Setting<String> = Setting(
        "ingest.host", env: "INGEST_HOST", flag: "--host", default: "0.0.0.0", .text("an address"),
        help: "Address to listen on")
    public let port: Setting<Int> = Setting(
        "ingest.port", env: "INGEST_PORT", flag: "--port", default: 8080, .int(in: 0...65_535),
        help: "Port (0: a free one, logged)")
    public let maxBody: Setting<Int> = Setting(
        "ingest.max_body", env: "INGEST_MAX_BODY", flag: "--max-body", default: 16 << 20, .size(in: 1_024...(1 << 30), example: "16MB"),
        help: "Largest request body; larger bodies get 413")
    public let token: Setting<String?> = Setting(
        "ingest.token", env: "INGEST_TOKEN", .secret("a bearer token (secret, never logged)"),
        help: "Bearer token POST /telemetry needs (the switch generator's http:// outputs send it)", shownDefault: "none (writes open)", isSecret: true)
    public let reportTTL: Setting<Double> = Setting(
        "ingest.report_ttl", env: "INGEST_REPORT_TTL", default: 30, .duration(atLeast: 1),
        help: "How long a snapshot's reports live")
    public let history: Setting<Int> = Setting(
        "ingest.history", env: "INGEST_HISTORY", default: 360, .int(in: 1...100_000),
        help: "Reports kept per switch (Redis: snapshots kept)")
    public let generatorUrl: Setting<String?> = Setting(
        "ingest.generator_url", env: "GENERATOR_URL", flag: "--generator-url", .text("http(s)://host:port"),
        help: "Pull /counters from this generator", shownDefault: "none")
    public let pullInterval: Setting<Double> = Setting(
        "ingest.pull_interval", env: "PULL_INTERVAL", flag: "--pull-interval", default: 10, .duration(atLeast: 0.01),
        help: "Time between pulls")
    public let maxFutureSkew: Setting<Double> = Setting(
        "ingest.max_future_skew", env: "INGEST_MAX_FUTURE_SKEW", flag: "--max-future-skew", default: 300, .duration(atLeast: 1),
        help: "Refuse (400) records whose timestamp is further ahead of this server's clock")
    public let lenient: Setting<Bool> = Setting(
        "ingest.lenient", env: "INGEST_LENIENT", flag: "--lenient", default: false, .bool,
        help: "Accept duplicate keys (the last wins) and unknown fields or CSV columns (skipped), counted, instead of refusing them")

    public init() {}
}
