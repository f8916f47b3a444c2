import KafkaTransport
import Settings

extension KafkaPropertyError {
    /// The same refusal as a configuration error, naming the setting the property came from.
    public var configurationError: ConfigurationError {
        ConfigurationError(key: property.source, value: shownValue, allowed: allowed)
    }
}

/// Kafka names in the settings.
public enum KafkaSettings {
    /// `text` when it is a topic name Kafka accepts; otherwise an error naming `key`.
    public static func topic(_ text: String, key: String) throws(ConfigurationError) -> String {
        guard KafkaProducerConfiguration.isValidTopic(text) else {
            throw ConfigurationError(key: key, value: text, allowed: "a topic name of 1-249 characters A-Z a-z 0-9 . _ -")
        }
        return text
    }
}
