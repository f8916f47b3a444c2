import Configuration
import RedisClient
import Settings

extension RedisConfiguration {
    /// Reads the `redis` section: `url`, else `host` and `port`; nil when none is set (no Redis).
    public init?(config: ConfigReader) throws(ConfigurationError) {
        let values = ConfigValues(config).scoped(to: "redis")
        if let url = values.string("url") {
            guard let parsed = Self(url: url) else { throw values.fail("url", url, "redis://[:password@]host[:port][/db]") }
            self = parsed
        } else if let host = values.string("host") {
            self.init(host: host)
            port = try values.int("port", in: 1...65_535) ?? 6379
        } else {
            return nil
        }
        connections = try values.int("connections", in: 1...64) ?? connections
        commandTimeout = try values.duration("timeout") ?? commandTimeout
    }
}
