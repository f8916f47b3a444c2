import ArgumentParser
import Settings

/// Flags every Kafka-speaking command shares.
struct KafkaClientOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: .knob(Knobs.kafka.brokers)) var kafkaBrokers: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.kafka.topic)) var kafkaTopic: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.kafka.connectTimeout)) var kafkaConnectTimeout: String?
    @Option(name: .customLong("kafka-property"), help: "Any librdkafka property NAME=VALUE; repeat for several (env KAFKA_PROPERTY_<NAME>).") var properties: [String] = []
}

/// Producer flags of `netchaos generate --output kafka`.
struct KafkaProducerOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: .knob(Knobs.kafka.compression)) var kafkaCompression: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.kafka.acks)) var kafkaAcks: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.kafka.idempotence)) var kafkaIdempotence: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.kafka.lingerMs)) var kafkaLingerMs: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.kafka.batchBytes)) var kafkaBatchBytes: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.kafka.queueMessages)) var kafkaQueueMessages: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.kafka.queueBytes)) var kafkaQueueBytes: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.kafka.key)) var kafkaKey: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.kafka.slotHeaders)) var kafkaSlotHeaders: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.kafka.messageTimeout)) var kafkaMessageTimeout: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.kafka.flushTimeout)) var kafkaFlushTimeout: String?
}
