import ArgumentParser

/// `netchaos kafka`: topics, a development cluster, and a consumer for looking at what arrived.
struct KafkaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kafka",
        abstract: "Kafka tools: create a topic, run a development cluster, consume a topic.",
        subcommands: [KafkaCreateTopic.self, KafkaDevCluster.self, KafkaConsume.self]
    )
}
