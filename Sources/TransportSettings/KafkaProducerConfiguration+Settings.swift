import Configuration
import KafkaTransport
import Settings

extension KafkaProducerConfiguration {
    /// Reads the `kafka` section (see the knob table); librdkafka checks every property.
    public init(config: ConfigReader) throws(ConfigurationError) {
        let values = ConfigValues(config).scoped(to: "kafka")
        let knobs = Knobs.kafka
        self.init(client: try KafkaClientConfiguration(settings: values))
        topic = try KafkaSettings.topic(values.value(knobs.topic) ?? topic, key: knobs.topic.knob.key)
        let codec = try values.value(knobs.compression)
        guard let compression = KafkaCompression(rawValue: codec) else { throw values.fail(knobs.compression, codec, KafkaCompression.allowedNames) }
        self.compression = compression
        let acksText = try values.value(knobs.acks)
        guard let acks = KafkaAcks(rawValue: acksText.lowercased() == "-1" ? "all" : acksText.lowercased()) else {
            throw values.fail(knobs.acks, acksText, KafkaAcks.allowedNames)
        }
        self.acks = acks
        idempotence = try values.value(knobs.idempotence) ?? (acks == .all)
        if idempotence && acks != .all {
            throw values.fail(knobs.idempotence, "true", "false when kafka.acks is not 'all' (idempotence needs acks=all)")
        }
        // The message producer's kafka.flush_frequency (milliseconds) when kafka.linger_ms is not set.
        let its = Knobs.messageProducer
        let flushFrequency = try values.value(its.kafkaFlushFrequency)
        lingerMilliseconds = try values.value(knobs.lingerMs) ?? flushFrequency ?? lingerMilliseconds
        batchMessages = try values.value(its.kafkaBatchSize)
        batchBytes = try values.value(knobs.batchBytes)
        queueMessages = try values.value(knobs.queueMessages)
        queueBytes = try values.value(knobs.queueBytes)
        messageTimeout = try values.value(knobs.messageTimeout)
        flushTimeout = try values.value(knobs.flushTimeout)
        slotHeaders = try values.value(knobs.slotHeaders)
        let keyName = try values.value(knobs.key)
        guard let key = KafkaMessageKey(rawValue: keyName) else { throw values.fail(knobs.key, keyName, KafkaMessageKey.allowedNames) }
        self.key = key
        do { try validate() } catch { throw error.configurationError }
    }
}
