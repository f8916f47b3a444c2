import Configuration
import KafkaTransport
import Settings

extension KafkaProducerConfiguration {
    /// Reads the `kafka` section (see the knob table); librdkafka checks every property.
    public init(config: ConfigReader) throws(ConfigurationError) {
        let values = ConfigValues(config).scoped(to: "kafka")
        self.init(client: try KafkaClientConfiguration(settings: values))
        topic = try KafkaSettings.topic(values.string("topic") ?? topic, key: values.key("topic"))
        if let text = values.string("compression") {
            guard let codec = KafkaCompression(rawValue: text.lowercased()) else { throw values.fail("compression", text, KafkaCompression.allowedNames) }
            compression = codec
        }
        if let text = values.string("acks") {
            guard let value = KafkaAcks(rawValue: text.lowercased() == "-1" ? "all" : text.lowercased()) else {
                throw values.fail("acks", text, KafkaAcks.allowedNames)
            }
            acks = value
        }
        idempotence = try values.bool("idempotence") ?? (acks == .all)
        if idempotence && acks != .all {
            throw values.fail("idempotence", "true", "false when kafka.acks is not 'all' (idempotence needs acks=all)")
        }
        // The message producer's kafka.flush_frequency (milliseconds) when kafka.linger_ms is not set.
        let flushFrequency = try values.int("flush_frequency", in: 0...900_000)
        lingerMilliseconds = try values.int("linger_ms", in: 0...900_000) ?? flushFrequency ?? lingerMilliseconds
        batchMessages = try values.int("batch_size", in: 1...1_000_000)
        batchBytes = try values.size("batch_bytes", minimum: 1) ?? batchBytes
        guard batchBytes <= 2_147_483_647 else { throw values.fail("batch_bytes", String(batchBytes), "at most 2GB") }
        queueMessages = try values.int("queue_messages", in: 1...10_000_000) ?? queueMessages
        queueBytes = try values.size("queue_bytes", in: (4 << 20)...(1 << 40), example: "64MB") ?? queueBytes
        messageTimeout = try values.duration("message_timeout") ?? messageTimeout
        flushTimeout = try values.duration("flush_timeout") ?? flushTimeout
        slotHeaders = try values.bool("slot_headers") ?? slotHeaders
        if let text = values.string("key") {
            guard let value = KafkaMessageKey(rawValue: text.lowercased()) else { throw values.fail("key", text, KafkaMessageKey.allowedNames) }
            key = value
        }
        do { try validate() } catch { throw error.configurationError }
    }
}
