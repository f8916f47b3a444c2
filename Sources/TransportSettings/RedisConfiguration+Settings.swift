import Configuration
import RedisClient
import Settings

extension RedisConfiguration {
    /// Reads the `redis` section: `url`, else `host` and `port`; nil when none is set (no Redis).
    public init?(config: ConfigReader) throws(ConfigurationError) {
        let values = ConfigValues(config).scoped(to: "redis")
        let knobs = Knobs.redis
        if let url = try values.value(knobs.url) {
            guard let parsed = Self(url: url) else { throw values.fail(knobs.url, url, "redis://[:password@]host[:port][/db]") }
            self = parsed
        } else if let host = try values.value(knobs.host) {
            self.init(host: host)
            port = try values.value(knobs.port)
        } else {
            return nil
        }
        connections = try values.value(knobs.connections)
        commandTimeout = try values.value(knobs.timeout)
    }
}
