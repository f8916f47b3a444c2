import CRdKafka
import Settings

/// Builds a `rd_kafka_conf_t` from properties. librdkafka checks every name and value; a
/// rejected one becomes a ``ConfigurationError`` naming the NetChaos key it came from.
enum RdKafkaConfiguration {
    /// A new configuration object; the caller owns it (pass it to `rd_kafka_new` or destroy it).
    static func make(_ properties: [KafkaProperty]) throws(ConfigurationError) -> OpaquePointer {
        let conf = rd_kafka_conf_new()!
        var errorText = [CChar](repeating: 0, count: 512)
        for property in properties {
            let result = rd_kafka_conf_set(conf, property.name, property.value, &errorText, errorText.count)
            if result != RD_KAFKA_CONF_OK {
                rd_kafka_conf_destroy(conf)
                let reason = errorText.cText
                throw ConfigurationError(
                    key: property.source, value: property.isSecret ? "<secret>" : property.value,
                    allowed: "a value librdkafka accepts for '\(property.name)' (\(reason))"
                )
            }
        }
        return conf
    }

    /// Checks that librdkafka accepts every property, without creating a client.
    static func validate(_ properties: [KafkaProperty]) throws(ConfigurationError) {
        rd_kafka_conf_destroy(try make(properties))
    }
}
