/// The ingester's Redis (`redis.*`). The defaults are `RedisConfiguration`'s (a test checks that they agree).
public struct RedisKnobs: Sendable {
    public let url: Setting<String?> = Setting(
        "redis.url", env: "REDIS_URL", flag: "--redis", .text("redis://[:password@]host[:port][/db]"),
        help: "Redis to keep metrics in", shownDefault: "none (metrics in memory)")
    public let host: Setting<String?> = Setting(
        "redis.host", env: "REDIS_HOST", .text("a host name or address"),
        help: "The Go ingester's: a Redis host, with redis.port", shownDefault: "none")
    public let port: Setting<Int> = Setting(
        "redis.port", env: "REDIS_PORT", default: 6379, .int(in: 1...65_535),
        help: "Port of redis.host")
    public let connections: Setting<Int> = Setting(
        "redis.connections", env: "REDIS_CONNECTIONS", default: 2, .int(in: 1...64),
        help: "Pipelined connections")
    public let timeout: Setting<Double> = Setting(
        "redis.timeout", env: "REDIS_TIMEOUT", default: 2, .duration,
        help: "Longest wait for one Redis command")

    public init() {}
}
