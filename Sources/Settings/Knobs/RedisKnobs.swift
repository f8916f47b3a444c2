/// The ingester's Redis (`redis.*`).
public struct RedisKnobs: Sendable {
    public let url: Setting<String?> = Setting(
        "redis.url", env: "REDIS_URL", flag: "--redis", .text("redis://[:password@]host[:port][/db]"),
        help: "Redis: redis://[:password@]host[:port][/db]", shownDefault: "none (metrics in memory)")
    public let host: Setting<String?> = Setting(
        "redis.host", env: "REDIS_HOST", .text("the Go ingester's: a host, with redis.port"),
        help: "", shownDefault: "none")
    public let port: Setting<String?> = Setting(
        "redis.port", env: "REDIS_PORT", .text("1-65535"),
        help: "", shownDefault: "6379")
    public let connections: Setting<String?> = Setting(
        "redis.connections", env: "REDIS_CONNECTIONS", .text("pipelined connections, 1-64"),
        help: "", shownDefault: "2")
    public let timeout: Setting<String?> = Setting(
        "redis.timeout", env: "REDIS_TIMEOUT", .text("a duration: one Redis command"),
        help: "", shownDefault: "2s")

    public init() {}
}
