/// The configuration file, logging and /metrics of every command (`config`, `log.*`, `metrics.*`).
public struct GeneralKnobs: Sendable {
    public let config: Setting<String?> = Setting(
        "config", env: "NETCHAOS_CONFIG", flag: "--config", .text("a readable YAML file"),
        help: "YAML configuration file", shownDefault: "none")
    public let logInterval: Setting<String?> = Setting(
        "log.interval_sec", env: "NETCHAOS_LOG_INTERVAL", flag: "--log-interval", .text("seconds >= 0; 0 = no periodic lines"),
        help: "Seconds between throughput log lines; 0 = none", shownDefault: "5")
    public let logDetailed: Setting<String?> = Setting(
        "log.detailed", env: "NETCHAOS_LOG_DETAILED", .text("true or false: periodic lines also count records and bytes per output"),
        help: "", shownDefault: "false")
    public let logProgress: Setting<String?> = Setting(
        "log.progress", env: "NETCHAOS_PROGRESS", flag: "--progress", .text("auto (a live line when stderr is a terminal), on, off"),
        help: "Live progress line: auto, on, off", shownDefault: "auto")
    public let logLevel: Setting<String?> = Setting(
        "log.level", env: "LOG_LEVEL", flag: "--log-level", .text("trace, debug, info, notice, warning, error, critical"),
        help: "Log level: trace, debug, info, notice, warning, error, critical", shownDefault: "info")
    public let metricsPort: Setting<String?> = Setting(
        "metrics.port", env: "METRICS_PORT", flag: "--metrics-port", .text("0-65535: serve GET /metrics (Prometheus) on this port (generate, sink; 0: a free port, logged)"),
        help: "Serve Prometheus metrics at GET /metrics on this port", shownDefault: "none (ingest and up serve /metrics on their own port)")
    public let metricsHost: Setting<String?> = Setting(
        "metrics.host", env: "METRICS_HOST", flag: "--metrics-host", .text("an address for the /metrics server to listen on"),
        help: "Address for the metrics server", shownDefault: "0.0.0.0")

    public init() {}
}
