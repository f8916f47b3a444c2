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

    /// The pipeline's topic.
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

    /// Checks every property with librdkafka, without creating a client.
    public func validate() throws(KafkaPropertyError) {
        try RdKafkaConfiguration.validate(librdkafkaProperties())
    }

    /// Whether `text` is a topic name Kafka accepts: 1-249 of `A-Z a-z 0-9 . _ -`, not `.` or `..`.
    public static func isValidTopic(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 249 && text != "." && text != ".."
            && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }
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
