import Configuration
import KafkaTransport
import Settings
import Testing
import TransportSettings

@Suite("Kafka settings")
struct KafkaSettingsTests {
    @Test("defaults favour losing nothing: acks=all, idempotence, zstd, key src_ip, the development cluster's brokers and the pipeline's topic")
    func defaults() throws {
        let configuration = try KafkaProducerConfiguration(config: configReader(contents: [:]))
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
        let configuration = try KafkaProducerConfiguration(config: configReader(contents: ["kafka.queue_bytes": ConfigValue(.string("256MB"), isSecret: false)]))
        #expect(configuration.queueBytes == 256 << 20)
        #expect(configuration.librdkafkaProperties().first { $0.name == "queue.buffering.max.kbytes" }?.value == "262144")
    }

    @Test("passed-through properties reach librdkafka last, so they win")
    func passThrough() throws {
        let configuration = try KafkaProducerConfiguration(config: configReader(contents: [
            "kafka.properties": ConfigValue(.stringArray(["linger.ms=250", "socket.keepalive.enable=true"]), isSecret: false),
            "kafka.linger_ms": ConfigValue(.string("5"), isSecret: false),
        ]))
        let lingers = configuration.librdkafkaProperties().filter { $0.name == "linger.ms" }.map(\.value)
        #expect(lingers == ["5", "250"])
        #expect(configuration.client.properties["socket.keepalive.enable"] == "true")
    }

    @Test("bad values name the key, the value and what is allowed", arguments: [
        ("kafka.compression", "brotli", "none, gzip, snappy, lz4 or zstd"),
        ("kafka.acks", "2", "all, 1, 0"),
        ("kafka.key", "dst_ip", "src_ip, event_id or none"),
        ("kafka.brokers", "localhost", "host:port"),
        ("kafka.topic", "bad topic", "topic name"),
        ("kafka.linger_ms", "-1", "from 0 to 900000"),
        ("kafka.queue_bytes", "1MB", "from 4MB"),
        ("kafka.queue_bytes", "lots", "such as 64MB"),
        ("kafka.security_protocol", "tls", "sasl_ssl"),
    ])
    func badValues(key: String, value: String, allowed: String) {
        let error = #expect(throws: ConfigurationError.self) {
            try KafkaProducerConfiguration(config: configReader(contents: [key: ConfigValue(.string(value), isSecret: false)]))
        }
        #expect(error?.key == key && error?.value == value)
        #expect(error?.allowed.contains(allowed) == true, "\(String(describing: error?.allowed))")
    }

    @Test("librdkafka's own checks: an unknown property and a bad value name the pass-through key")
    func librdkafkaChecks() {
        let unknown = #expect(throws: ConfigurationError.self) {
            try KafkaProducerConfiguration(config: configReader(contents: ["kafka.properties": ConfigValue(.stringArray(["no.such.property=1"]), isSecret: false)]))
        }
        #expect(unknown?.key == "kafka.properties.no.such.property")
        #expect(unknown?.allowed.contains("No such configuration property") == true, "\(String(describing: unknown?.allowed))")
        let badValue = #expect(throws: ConfigurationError.self) {
            try KafkaProducerConfiguration(config: configReader(contents: ["kafka.properties": ConfigValue(.stringArray(["socket.timeout.ms=soon"]), isSecret: false)]))
        }
        #expect(badValue?.key == "kafka.properties.socket.timeout.ms" && badValue?.value == "soon")
    }

    @Test("idempotence needs acks=all: asking for both otherwise is an error; acks=1 alone turns it off")
    func idempotenceNeedsAcksAll() throws {
        let relaxed = try KafkaProducerConfiguration(config: configReader(contents: ["kafka.acks": ConfigValue(.string("1"), isSecret: false)]))
        #expect(relaxed.acks == .leader && !relaxed.idempotence)
        let error = #expect(throws: ConfigurationError.self) {
            try KafkaProducerConfiguration(config: configReader(contents: [
                "kafka.acks": ConfigValue(.string("1"), isSecret: false), "kafka.idempotence": ConfigValue(.string("true"), isSecret: false),
            ]))
        }
        #expect(error?.key == "kafka.idempotence")
    }

    @Test("a consumer reads its section: group, offset reset, static membership, session timeout; errors name the whole key")
    func consumer() throws {
        let consumer = try KafkaConsumerConfiguration(config: configReader(contents: [
            "kafka.brokers": ConfigValue(.string("a:1,b:2"), isSecret: false), "kafka.group_id": ConfigValue(.string("archive"), isSecret: false),
            "kafka.offset_reset": ConfigValue(.string("latest"), isSecret: false), "kafka.group_instance_id": ConfigValue(.string("sink-7"), isSecret: false),
            "kafka.session_timeout": ConfigValue(.string("45s"), isSecret: false), "kafka.topic": ConfigValue(.string("flows"), isSecret: false),
        ]))
        #expect(consumer.client.brokers == ["a:1", "b:2"] && consumer.groupID == "archive" && consumer.offsetReset == .latest)
        #expect(consumer.groupInstanceID == "sink-7" && consumer.sessionTimeout == 45 && consumer.topics == ["flows"])
        let properties = Dictionary(consumer.librdkafkaProperties().map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
        #expect(properties["group.instance.id"] == "sink-7" && properties["session.timeout.ms"] == "45000" && properties["enable.auto.commit"] == "false")
        let error = #expect(throws: ConfigurationError.self) {
            try KafkaConsumerConfiguration(config: configReader(contents: ["kafka.offset_reset": ConfigValue(.string("middle"), isSecret: false)]))
        }
        #expect(error?.key == "kafka.offset_reset" && error?.value == "middle" && error?.description.contains("KAFKA_OFFSET_RESET") == true)
        let blank = #expect(throws: ConfigurationError.self) {
            try KafkaClientConfiguration(config: configReader(contents: ["kafka.brokers": ConfigValue(.string(" , "), isSecret: false)]))
        }
        #expect(blank?.key == "kafka.brokers" && blank?.allowed.contains("an empty value does not mean the default brokers") == true)
    }

    @Test("the transport's own check, without settings: librdkafka's refusal names the property, its source and the reason")
    func transportError() {
        var configuration = KafkaProducerConfiguration()
        configuration.client.properties["socket.timeout.ms"] = "soon"
        let error = #expect(throws: KafkaPropertyError.self) { try configuration.validate() }
        #expect(error?.property.name == "socket.timeout.ms" && error?.property.source == "kafka.properties.socket.timeout.ms")
        #expect(error?.configurationError.key == "kafka.properties.socket.timeout.ms" && error?.configurationError.value == "soon")
        configuration.client.properties = ["sasl.password": "hunter2", "no.such.property": "1"]
        configuration.client.saslPassword = nil
        #expect(throws: KafkaPropertyError.self) { try configuration.validate() }
        #expect(KafkaProducerConfiguration.isValidTopic("network-telemetry") && !KafkaProducerConfiguration.isValidTopic("..") && !KafkaProducerConfiguration.isValidTopic(""))
    }
}
