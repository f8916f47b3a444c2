/// `netchaos up` (`up.*`).
public struct UpKnobs: Sendable {
    public let host: Setting<String?> = Setting(
        "up.host", env: "UP_HOST", flag: "--host", .text("an address for up's HTTP port to listen on"),
        help: "Address to listen on", shownDefault: "0.0.0.0")
    public let port: Setting<String?> = Setting(
        "up.port", env: "UP_PORT", flag: "--port", .text("0-65535: the live page, /metrics and the ingester API (0: a free port, logged)"),
        help: "Port of the live page, /metrics and the ingester API", shownDefault: "8080")
    public let partitions: Setting<String?> = Setting(
        "up.partitions", env: "UP_PARTITIONS", flag: "--partitions", .text("1-256 partitions of the in-process queue (without Kafka)"),
        help: "Partitions of the in-process queue", shownDefault: "4")
    public let reconcileInterval: Setting<String?> = Setting(
        "up.reconcile_interval", env: "UP_RECONCILE_INTERVAL", flag: "--reconcile-interval", .text("how often up accounts for every flow record in the store (a duration; 0 or off: never)"),
        help: "How often to account for every flow record in the store", shownDefault: "5s")
    public let queueBytes: Setting<String?> = Setting(
        "up.queue_bytes", env: "UP_QUEUE_BYTES", flag: "--queue-bytes", .text("1MB-16GB of records the in-process queue holds; generation waits while it is full"),
        help: "Records the in-process queue holds", shownDefault: "64MB")

    public init() {}
}
