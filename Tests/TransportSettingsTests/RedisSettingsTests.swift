import Configuration
import RedisClient
@testable import Settings
import Testing
import TransportSettings

@Suite("Redis settings and scoped configuration values")
struct RedisSettingsTests {
    @Test("redis.url, else redis.host and redis.port; nothing set is no Redis")
    func readsItsSection() throws {
        #expect(try RedisConfiguration(config: configReader([:])) == nil)
        let url = try #require(try RedisConfiguration(config: configReader(["redis.url": "redis://:pw@10.0.0.5:6380/2", "redis.connections": "4", "redis.timeout": "500ms"])))
        #expect(url.host == "10.0.0.5" && url.port == 6380 && url.password == "pw" && url.database == 2)
        #expect(url.connections == 4 && url.commandTimeout == 0.5)
        let host = try #require(try RedisConfiguration(config: configReader(["redis.host": "cache", "redis.port": "7000"])))
        #expect(host.host == "cache" && host.port == 7000 && host.connections == 2)
    }

    @Test("bad values name the whole key", arguments: [
        ("redis.url", "http://cache", "redis://"), ("redis.port", "0", "from 1 to 65535"), ("redis.connections", "65", "from 1 to 64"),
        ("redis.timeout", "soon", "a positive duration"),
    ])
    func badValues(key: String, value: String, allowed: String) {
        var values = ["redis.host": "cache"]
        values[key] = value
        let error = #expect(throws: ConfigurationError.self) { try RedisConfiguration(config: configReader(values)) }
        #expect(error?.key == key && error?.value == value && error?.allowed.contains(allowed) == true, "\(String(describing: error))")
    }

    @Test("scoped values read keys relative to their section and name the whole key in errors")
    func scopedValues() throws {
        let values = ConfigValues(configReader(["kafka.linger_ms": "7", "linger_ms": "99", "kafka.sasl.mechanism": "PLAIN"]))
        let kafka = values.scoped(to: "kafka")
        #expect(kafka.scope == "kafka" && kafka.key("linger_ms") == "kafka.linger_ms")
        #expect(try kafka.int("linger_ms", in: 0...100) == 7)
        #expect(kafka.scoped(to: "sasl").string("mechanism") == "PLAIN")
        let error = #expect(throws: ConfigurationError.self) { try kafka.int("linger_ms", in: 0...5) }
        #expect(error?.key == "kafka.linger_ms" && error?.value == "7")
        #expect(values.string("linger_ms") == "99", "the unscoped values still read the top level")
    }
}
