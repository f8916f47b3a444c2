import Configuration
import Settings

/// A producer: where it writes and how it batches, compresses and confirms. Defaults favour
/// losing nothing (`acks=all`, idempotence) and throughput (zstd, 10 ms linger, 1 MiB batches).
public struct KafkaProducerConfiguration: Sendable, Hashable {
    public var client: KafkaClientConfiguration
    public var topic: String
    public var compression: KafkaCompression
    public var acks: KafkaAcks
    /// Exactly-once, in-order delivery per partition across retries (needs `acks=all`).
    public var idempotence: Bool
    public var lingerMilliseconds: Int
    /// Largest batch of messages per partition request, in bytes (`batch.size`).
    public var batchBytes: Int
    /// Most messages in one batch (`batch.num.messages`; nil: librdkafka's 10000).
    public var batchMessages: Int?
    /// Messages the local queue holds before `produce` waits (`queue.buffering.max.messages`).
    public var queueMessages: Int
    /// Payload bytes the local queue holds before `produce` waits (`queue.buffering.max.kbytes`;
    /// also the size of the payload pool that ``KafkaProducer/produce(_:from:shouldStop:)`` uses).
    /// 64 MiB keeps every partition's batches full on the mock cluster (more only costs memory
    /// and page faults: `Benchmarks/kafka_bench.py`).
    public var queueBytes: Int
    /// How long librdkafka keeps retrying one message before reporting it failed.
    public var messageTimeout: Double
    /// How long shutdown waits for outstanding deliveries.
    public var flushTimeout: Double
    public var key: KafkaMessageKey
    /// Whether messages carry their record's slot as `generator_id` and `seq` headers.
    public var slotHeaders = false

    /// The seeds' topic.
    public static let defaultTopic = "network-telemetry"

    public init(
        client: KafkaClientConfiguration = KafkaClientConfiguration(), topic: String = Self.defaultTopic,
        compression: KafkaCompression = .zstd, acks: KafkaAcks = .all, idempotence: Bool = true,
        lingerMilliseconds: Int = 10, batchBytes: Int = 1 << 20, queueMessages: Int = 500_000,
        queueBytes: Int = 64 << 20, messageTimeout: Double = 300, flushTimeout: Double = 30, key: KafkaMessageKey = .srcIP
    ) {
        self.client = client
        self.topic = topic
        self.compression = compression
        self.acks = acks
        self.idempotence = idempotence
        self.lingerMilliseconds = lingerMilliseconds
        self.batchBytes = batchBytes
        self.queueMessages = queueMessages
        self.queueBytes = queueBytes
        self.messageTimeout = messageTimeout
        self.flushTimeout = flushTimeout
        self.key = key
    }

    /// Reads `kafka.*` (see the knob table) and checks every property with librdkafka.
    public init(config: ConfigReader) throws(ConfigurationError) {
        let values = ConfigValues(config)
        self.init(client: try KafkaClientConfiguration(config: config))
        topic = try Self.topic(values.string("kafka.topic") ?? topic, key: "kafka.topic")
        if let text = values.string("kafka.compression") {
            guard let codec = KafkaCompression(rawValue: text.lowercased()) else {
                throw ConfigurationError(key: "kafka.compression", value: text, allowed: KafkaCompression.allowedNames)
            }
            compression = codec
        }
        if let text = values.string("kafka.acks") {
            guard let value = KafkaAcks(rawValue: text.lowercased() == "-1" ? "all" : text.lowercased()) else {
                throw ConfigurationError(key: "kafka.acks", value: text, allowed: KafkaAcks.allowedNames)
            }
            acks = value
        }
        let explicitIdempotence = try values.bool("kafka.idempotence")
        idempotence = explicitIdempotence ?? (acks == .all)
        if idempotence && acks != .all {
            throw ConfigurationError(key: "kafka.idempotence", value: "true", allowed: "false when kafka.acks is not 'all' (idempotence needs acks=all)")
        }
        // The message producer's kafka.flush_frequency (milliseconds) when kafka.linger_ms is not set.
        let flushFrequency = try values.int("kafka.flush_frequency", in: 0...900_000)
        lingerMilliseconds = try values.int("kafka.linger_ms", in: 0...900_000) ?? flushFrequency ?? lingerMilliseconds
        batchMessages = try values.int("kafka.batch_size", in: 1...1_000_000)
        batchBytes = try values.size("kafka.batch_bytes", minimum: 1) ?? batchBytes
        guard batchBytes <= 2_147_483_647 else {
            throw ConfigurationError(key: "kafka.batch_bytes", value: String(batchBytes), allowed: "at most 2GB")
        }
        queueMessages = try values.int("kafka.queue_messages", in: 1...10_000_000) ?? queueMessages
        queueBytes = try values.size("kafka.queue_bytes", in: (4 << 20)...(1 << 40), example: "64MB") ?? queueBytes
        messageTimeout = try values.duration("kafka.message_timeout") ?? messageTimeout
        flushTimeout = try values.duration("kafka.flush_timeout") ?? flushTimeout
        slotHeaders = try values.bool("kafka.slot_headers") ?? slotHeaders
        if let text = values.string("kafka.key") {
            guard let value = KafkaMessageKey(rawValue: text.lowercased()) else {
                throw ConfigurationError(key: "kafka.key", value: text, allowed: KafkaMessageKey.allowedNames)
            }
            key = value
        }
        try RdKafkaConfiguration.validate(librdkafkaProperties())
    }

    /// Checks a topic name as Kafka does: 1-249 of `A-Z a-z 0-9 . _ -`, not `.` or `..`.
    public static func topic(_ text: String, key: String) throws(ConfigurationError) -> String {
        let valid = !text.isEmpty && text.count <= 249 && text != "." && text != ".."
            && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }
        guard valid else { throw ConfigurationError(key: key, value: text, allowed: "a topic name of 1-249 characters A-Z a-z 0-9 . _ -") }
        return text
    }

    /// The properties handed to librdkafka.
    public func librdkafkaProperties() -> [KafkaProperty] {
        client.librdkafkaProperties(role: [
            KafkaProperty(name: "compression.codec", value: compression.rawValue, source: "kafka.compression"),
            KafkaProperty(name: "acks", value: acks == .all ? "all" : acks.rawValue, source: "kafka.acks"),
            KafkaProperty(name: "enable.idempotence", value: idempotence ? "true" : "false", source: "kafka.idempotence"),
            KafkaProperty(name: "linger.ms", value: String(lingerMilliseconds), source: "kafka.linger_ms"),
            KafkaProperty(name: "batch.size", value: String(batchBytes), source: "kafka.batch_bytes"),
        ] + (batchMessages.map { [KafkaProperty(name: "batch.num.messages", value: String($0), source: "kafka.batch_size")] } ?? []) + [
            KafkaProperty(name: "queue.buffering.max.messages", value: String(queueMessages), source: "kafka.queue_messages"),
            KafkaProperty(name: "queue.buffering.max.kbytes", value: String(min(queueBytes >> 10, Int(Int32.max))), source: "kafka.queue_bytes"),
            KafkaProperty(name: "message.timeout.ms", value: String(Int(messageTimeout * 1000)), source: "kafka.message_timeout"),
        ])
    }
}
