import CRdKafka

/// Builds a `rd_kafka_conf_t` from properties. librdkafka checks every name and value; a
/// rejected one becomes a ``KafkaPropertyError`` naming the setting it came from.
enum RdKafkaConfiguration {
    /// A new configuration object; the caller owns it (pass it to `rd_kafka_new` or destroy it).
    static func make(_ properties: [KafkaProperty]) throws(KafkaPropertyError) -> OpaquePointer {
        let conf = rd_kafka_conf_new()!
        var errorText = [CChar](repeating: 0, count: 512)
        for property in properties {
            let result = rd_kafka_conf_set(conf, property.name, property.value, &errorText, errorText.count)
            if result != RD_KAFKA_CONF_OK {
                rd_kafka_conf_destroy(conf)
                throw KafkaPropertyError(property: property, reason: errorText.cText)
            }
        }
        return conf
    }

    /// A new librdkafka client of `type` (`what` names it in errors: "producer", "consumer", ...)
    /// with `context`'s opaque pointer and log and error callbacks; `configure` adds the role's
    /// own callbacks.
    static func client(
        _ type: rd_kafka_type_t, _ what: String, properties: [KafkaProperty], context: KafkaCallbackContext,
        configure: (OpaquePointer) -> Void = { _ in }
    ) throws(KafkaError) -> OpaquePointer {
        let conf: OpaquePointer
        do {
            conf = try make(properties)
        } catch {
            throw KafkaError(code: RD_KAFKA_RESP_ERR__INVALID_ARG.rawValue, operation: "configure the \(what)", message: error.description)
        }
        context.install(on: conf)
        configure(conf)
        var errorText = [CChar](repeating: 0, count: 512)
        guard let handle = rd_kafka_new(type, conf, &errorText, errorText.count) else {
            rd_kafka_conf_destroy(conf)
            throw KafkaError(code: RD_KAFKA_RESP_ERR__INVALID_ARG.rawValue, operation: "create the \(what)", message: errorText.cText)
        }
        return handle
    }

    /// Checks that librdkafka accepts every property, without creating a client.
    static func validate(_ properties: [KafkaProperty]) throws(KafkaPropertyError) {
        rd_kafka_conf_destroy(try make(properties))
    }
}
