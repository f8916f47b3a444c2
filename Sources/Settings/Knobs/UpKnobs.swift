/// `netchaos up` (`up.*`).
public struct UpKnobs: Sendable {
    public let host: Setting<String> = Setting(
        "up.host", env: "UP_HOST", flag: "--host", default: "0.0.0.0", .text("an address"),
        help: "Address to listen on")
    public let port: Setting<Int> = Setting(
        "up.port", env: "UP_PORT", flag: "--port", default: 8080, .int(in: 0...65_535),
        help: "Port of the live page, /metrics and the ingester API (0: a free one, logged)")
    public let partitions: Setting<Int> = Setting(
        "up.partitions", env: "UP_PARTITIONS", flag: "--partitions", default: 4, .int(in: 1...256),
        help: "Partitions of the in-process queue (without Kafka)")
    public let reconcileInterval: Setting<String?> = Setting(
        "up.reconcile_interval", env: "UP_RECONCILE_INTERVAL", flag: "--reconcile-interval", .text("a duration, 100ms-1h; 0 or off: never"),
        help: "How often to account for every flow record in the store", shownDefault: "5s")
    public let queueBytes: Setting<Int> = Setting(
        "up.queue_bytes", env: "UP_QUEUE_BYTES", flag: "--queue-bytes", default: 64 << 20, .size(in: (1 << 20)...(16 << 30), example: "64MB"),
        help: "Records the in-process queue holds; generation waits while it is full")

    public init() {}
}
