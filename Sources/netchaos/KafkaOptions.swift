import ArgumentParser
import Configuration

/// Flags every Kafka-speaking command shares.
struct KafkaClientOptions: ParsableArguments {
    @Option(name: .customLong("kafka-brokers"), parsing: .unconditional, help: "Bootstrap brokers host:port,... (env KAFKA_BROKERS).") var brokers: String?
    @Option(name: .customLong("kafka-topic"), parsing: .unconditional, help: "Topic (env KAFKA_TOPIC, default network-telemetry).") var topic: String?
    @Option(name: .customLong("kafka-connect-timeout"), parsing: .unconditional, help: "How long to wait for the brokers' first answer (default 10s).") var connectTimeout: String?
    @Option(name: .customLong("kafka-property"), help: "Any librdkafka property NAME=VALUE; repeat for several (env KAFKA_PROPERTY_<NAME>).") var properties: [String] = []

    var flagValues: [String: ConfigContent] {
        var values: [String: ConfigContent] = [:]
        for case let (key, value?) in [("kafka.brokers", brokers), ("kafka.topic", topic), ("kafka.connect_timeout", connectTimeout)] {
            values[key] = .string(value)
        }
        return values
    }
}

/// Producer flags of `netchaos generate --output kafka`.
struct KafkaProducerOptions: ParsableArguments {
    @Option(name: .customLong("kafka-compression"), parsing: .unconditional, help: "none, gzip, snappy, lz4, zstd (default zstd).") var compression: String?
    @Option(name: .customLong("kafka-acks"), parsing: .unconditional, help: "all, 1, 0 (default all).") var acks: String?
    @Option(name: .customLong("kafka-idempotence"), parsing: .unconditional, help: "true or false (default true with acks=all).") var idempotence: String?
    @Option(name: .customLong("kafka-linger-ms"), parsing: .unconditional, help: "Milliseconds a batch waits to fill (default 10).") var lingerMs: String?
    @Option(name: .customLong("kafka-batch-bytes"), parsing: .unconditional, help: "Largest batch per partition: 64KB, 1MB (default 1MB).") var batchBytes: String?
    @Option(name: .customLong("kafka-queue-messages"), parsing: .unconditional, help: "Local queue size; generation waits while it is full (default 500000).") var queueMessages: String?
    @Option(name: .customLong("kafka-queue-bytes"), parsing: .unconditional, help: "Payload bytes the local queue holds; generation waits while it is full (default 64MB).") var queueBytes: String?
    @Option(name: .customLong("kafka-key"), parsing: .unconditional, help: "Message key: src_ip, event_id, none (default src_ip).") var key: String?
    @Option(name: .customLong("kafka-slot-headers"), parsing: .unconditional, help: "true or false: each message carries its record's generator_id and seq as headers (default false).") var slotHeaders: String?
    @Option(name: .customLong("kafka-message-timeout"), parsing: .unconditional, help: "How long one record is retried (default 300s).") var messageTimeout: String?
    @Option(name: .customLong("kafka-flush-timeout"), parsing: .unconditional, help: "How long the end of a run waits for deliveries (default 30s).") var flushTimeout: String?

    var flagValues: [String: ConfigContent] {
        var values: [String: ConfigContent] = [:]
        let pairs: [(String, String?)] = [
            ("kafka.compression", compression), ("kafka.acks", acks), ("kafka.idempotence", idempotence),
            ("kafka.linger_ms", lingerMs), ("kafka.batch_bytes", batchBytes), ("kafka.queue_messages", queueMessages),
            ("kafka.queue_bytes", queueBytes),
            ("kafka.key", key), ("kafka.message_timeout", messageTimeout), ("kafka.flush_timeout", flushTimeout),
            ("kafka.slot_headers", slotHeaders),
        ]
        for case let (key, value?) in pairs { values[key] = .string(value) }
        return values
    }
}
