/// The configuration file, logging and /metrics of every command (`config`, `log.*`, `metrics.*`).
public struct GeneralKnobs: Sendable {
    public let config: Setting<String?> = Setting(
        "config", env: "NETCHAOS_CONFIG", flag: "--config", .text("a readable YAML file"),
        help: "YAML configuration file", shownDefault: "none")
    public let logInterval: Setting<Double> = Setting(
        "log.interval_sec", env: "NETCHAOS_LOG_INTERVAL", flag: "--log-interval", default: 5, .number(in: 0...86_400),
        help: "Seconds between throughput log lines; 0 = none")
    public let logDetailed: Setting<Bool> = Setting(
        "log.detailed", env: "NETCHAOS_LOG_DETAILED", default: false, .bool,
        help: "Periodic lines also count records and bytes per output")
    public let logProgress: Setting<String> = Setting(
        "log.progress", env: "NETCHAOS_PROGRESS", flag: "--progress", default: "auto", .choice(["auto", "on", "off"]),
        help: "Live progress line: auto (when stderr is a terminal), on, off")
    public let logLevel: Setting<String> = Setting(
        "log.level", env: "LOG_LEVEL", flag: "--log-level", default: "info", .choice(["trace", "debug", "info", "notice", "warning", "error", "critical"]),
        help: "Log level")
    public let metricsPort: Setting<Int?> = Setting(
        "metrics.port", env: "METRICS_PORT", flag: "--metrics-port", .int(in: 0...65_535),
        help: "Serve Prometheus metrics at GET /metrics on this port (generate, sink; 0: a free port, logged)",
        shownDefault: "none (ingest and up serve /metrics on their own port)")
    public let metricsHost: Setting<String> = Setting(
        "metrics.host", env: "METRICS_HOST", flag: "--metrics-host", default: "0.0.0.0", .text("an address"),
        help: "Address for the metrics server to listen on")

    public init() {}
}
