import Configuration
import KafkaTransport
import Settings
import Testing

@Suite("Kafka configuration")
struct KafkaConfigurationTests {
    func reader(_ values: [String: ConfigValue]) -> ConfigReader {
        ConfigReader(provider: InMemoryProvider(values: Dictionary(uniqueKeysWithValues: values.map { (AbsoluteConfigKey(ConfigKey($0.key)), $0.value) })))
    }

    @Test("defaults favour losing nothing: acks=all, idempotence, zstd, key src_ip, the seeds' brokers and topic")
    func defaults() throws {
        let configuration = try KafkaProducerConfiguration(config: reader([:]))
        #expect(configuration.client.brokers == ["localhost:19092", "localhost:29092", "localhost:39092"])
        #expect(configuration.topic == "network-telemetry")
        #expect(configuration.acks == .all && configuration.idempotence)
        #expect(configuration.compression == .zstd && configuration.key == .srcIP)
        let properties = Dictionary(configuration.librdkafkaProperties().map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
        #expect(properties["acks"] == "all" && properties["enable.idempotence"] == "true" && properties["compression.codec"] == "zstd")
        // 64 MiB of queued payload, in librdkafka's kilobytes.
        #expect(configuration.queueBytes == 64 << 20 && properties["queue.buffering.max.kbytes"] == "65536")
    }

    @Test("kafka.queue_bytes takes sizes and sets librdkafka's queue limit")
    func queueBytes() throws {
        let configuration = try KafkaProducerConfiguration(config: reader(["kafka.queue_bytes": ConfigValue(.string("256MB"), isSecret: false)]))
        #expect(configuration.queueBytes == 256 << 20)
        #expect(configuration.librdkafkaProperties().first { $0.name == "queue.buffering.max.kbytes" }?.value == "262144")
    }

    @Test("passed-through properties reach librdkafka last, so they win")
    func passThrough() throws {
        let configuration = try KafkaProducerConfiguration(config: reader([
            "kafka.properties": ConfigValue(.stringArray(["linger.ms=250", "socket.keepalive.enable=true"]), isSecret: false),
            "kafka.linger_ms": ConfigValue(.string("5"), isSecret: false),
        ]))
        let lingers = configuration.librdkafkaProperties().filter { $0.name == "linger.ms" }.map(\.value)
        #expect(lingers == ["5", "250"])
        #expect(configuration.client.properties["socket.keepalive.enable"] == "true")
    }

    @Test("bad values name the key, the value and what is allowed", arguments: [
        ("kafka.compression", "brotli", "none, gzip, snappy, lz4, zstd"),
        ("kafka.acks", "2", "all, 1, 0"),
        ("kafka.key", "dst_ip", "src_ip, event_id, none"),
        ("kafka.brokers", "localhost", "host:port"),
        ("kafka.topic", "bad topic", "topic name"),
        ("kafka.linger_ms", "-1", "from 0 to 900000"),
        ("kafka.queue_bytes", "1MB", "from 4MB"),
        ("kafka.queue_bytes", "lots", "such as 64MB"),
        ("kafka.security_protocol", "tls", "sasl_ssl"),
    ])
    func badValues(key: String, value: String, allowed: String) {
        let error = #expect(throws: ConfigurationError.self) {
            try KafkaProducerConfiguration(config: reader([key: ConfigValue(.string(value), isSecret: false)]))
        }
        #expect(error?.key == key && error?.value == value)
        #expect(error?.allowed.contains(allowed) == true, "\(String(describing: error?.allowed))")
    }

    @Test("librdkafka's own checks: an unknown property and a bad value name the pass-through key")
    func librdkafkaChecks() {
        let unknown = #expect(throws: ConfigurationError.self) {
            try KafkaProducerConfiguration(config: reader(["kafka.properties": ConfigValue(.stringArray(["no.such.property=1"]), isSecret: false)]))
        }
        #expect(unknown?.key == "kafka.properties.no.such.property")
        #expect(unknown?.allowed.contains("No such configuration property") == true, "\(String(describing: unknown?.allowed))")
        let badValue = #expect(throws: ConfigurationError.self) {
            try KafkaProducerConfiguration(config: reader(["kafka.properties": ConfigValue(.stringArray(["socket.timeout.ms=soon"]), isSecret: false)]))
        }
        #expect(badValue?.key == "kafka.properties.socket.timeout.ms" && badValue?.value == "soon")
    }

    @Test("idempotence needs acks=all: asking for both otherwise is an error; acks=1 alone turns it off")
    func idempotenceNeedsAcksAll() throws {
        let relaxed = try KafkaProducerConfiguration(config: reader(["kafka.acks": ConfigValue(.string("1"), isSecret: false)]))
        #expect(relaxed.acks == .leader && !relaxed.idempotence)
        let error = #expect(throws: ConfigurationError.self) {
            try KafkaProducerConfiguration(config: reader([
                "kafka.acks": ConfigValue(.string("1"), isSecret: false), "kafka.idempotence": ConfigValue(.string("true"), isSecret: false),
            ]))
        }
        #expect(error?.key == "kafka.idempotence")
    }
}
