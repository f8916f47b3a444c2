import Configuration
import KafkaTransport
import Settings

extension KafkaConsumerConfiguration {
    /// Reads the `kafka` section (brokers, topic, group id, offset reset, static membership,
    /// security, properties); librdkafka checks every property.
    public init(config: ConfigReader) throws(ConfigurationError) {
        let values = ConfigValues(config).scoped(to: "kafka")
        self.init(client: try KafkaClientConfiguration(settings: values))
        topics = [try KafkaSettings.topic(values.string("topic") ?? KafkaProducerConfiguration.defaultTopic, key: values.key("topic"))]
        if let group = values.string("group_id") {
            guard group.count <= 255, group.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
                throw values.fail("group_id", group, "1-255 printable ASCII characters without spaces")
            }
            groupID = group
        }
        if let text = values.string("offset_reset") {
            guard let reset = OffsetReset(rawValue: text.lowercased()) else { throw values.fail("offset_reset", text, "earliest or latest") }
            offsetReset = reset
        }
        sessionTimeout = try values.duration("session_timeout") ?? sessionTimeout
        if let instance = values.string("group_instance_id") {
            guard instance.count <= 249, instance.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
                throw values.fail("group_instance_id", instance, "auto, none, or 1-249 printable ASCII characters without spaces")
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
