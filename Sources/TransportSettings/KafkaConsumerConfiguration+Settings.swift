import Configuration
import KafkaTransport
import Settings

extension KafkaConsumerConfiguration {
    /// Reads the `kafka` section (brokers, topic, group id, offset reset, static membership,
    /// security, properties); librdkafka checks every property.
    public init(config: ConfigReader) throws(ConfigurationError) {
        let values = ConfigValues(config).scoped(to: "kafka")
        let knobs = Knobs.kafka
        self.init(client: try KafkaClientConfiguration(settings: values))
        topics = [try KafkaSettings.topic(values.value(knobs.topic) ?? KafkaProducerConfiguration.defaultTopic, key: knobs.topic.knob.key)]
        if let group = try values.value(knobs.groupId) {
            guard group.count <= 255, group.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
                throw values.fail(knobs.groupId, group, "1-255 printable ASCII characters without spaces")
            }
            groupID = group
        }
        let reset = try values.value(knobs.offsetReset)
        guard let offsetReset = OffsetReset(rawValue: reset) else { throw values.fail(knobs.offsetReset, reset, "earliest or latest") }
        self.offsetReset = offsetReset
        sessionTimeout = try values.value(knobs.sessionTimeout)
        if let instance = try values.value(knobs.groupInstanceId) {
            guard instance.count <= 249, instance.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
                throw values.fail(knobs.groupInstanceId, instance, "auto, none, or 1-249 printable ASCII characters without spaces")
            }
            switch instance.lowercased() {
            case "auto": groupInstance = .automatic
            case "none", "": groupInstance = .dynamic
            default: groupInstance = .named(instance)
            }
        }
        do { try validate() } catch { throw error.configurationError }
    }
}
