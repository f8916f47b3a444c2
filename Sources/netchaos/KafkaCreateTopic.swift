import ArgumentParser
import Configuration
import KafkaTransport
import Logging
import Observability
import Settings
import TransportSettings

/// `netchaos kafka create-topic`: creates the topic explicitly (the seeds relied on
/// auto-creation, so the replication factor was whatever the broker defaulted to).
struct KafkaCreateTopic: AsyncParsableCommand, KnobOptions {
    static let knobSections = ["config", "kafka"]

    static let configuration = CommandConfiguration(
        commandName: "create-topic",
        abstract: "Create a topic with an explicit partition count and replication factor."
    )

    @OptionGroup var kafka: KafkaClientOptions
    @OptionGroup var checking: CheckOption
    @Option(parsing: .unconditional, help: .knob(Knobs.general.config)) var config: String?
    @Option(parsing: .unconditional, help: "Partitions (default 12).") var partitions: Int = 12
    @Option(name: .customLong("replication-factor"), parsing: .unconditional, help: "Replicas of each partition (default 3).") var replicationFactor: Int = 3
    @Option(name: .customLong("topic-config"), help: "A topic setting NAME=VALUE such as retention.ms=86400000; repeat for several.") var topicConfigs: [String] = []
    @Flag(name: .customLong("if-not-exists"), help: "Succeed when the topic exists already.") var ifNotExists = false
    @Option(parsing: .unconditional, help: "How long to wait for the cluster (default 30s).") var timeout: Double = 30

    func run() async throws {
        let client: KafkaClientConfiguration
        let topic: String
        var settings: [String: String] = [:]
        do throws(ConfigurationError) {
            guard (1...100_000).contains(partitions) else {
                throw ConfigurationError(key: "partitions", value: String(partitions), allowed: "1-100000")
            }
            guard (1...32).contains(replicationFactor) else {
                throw ConfigurationError(key: "replication-factor", value: String(replicationFactor), allowed: "1-32")
            }
            for entry in topicConfigs {
                guard let equals = entry.firstIndex(of: "="), equals != entry.startIndex else {
                    throw ConfigurationError(key: "topic-config", value: entry, allowed: "NAME=VALUE such as retention.ms=86400000")
                }
                settings[String(entry[..<equals])] = String(entry[entry.index(after: equals)...])
            }
            let reader = try await ConfigurationLoader.reader(flags: flagValues, kafkaProperties: kafka.properties, configFile: config)
            client = try KafkaClientConfiguration(config: reader)
            topic = try KafkaSettings.topic(ConfigValues(reader).value(Knobs.kafka.topic) ?? KafkaProducerConfiguration.defaultTopic, key: Knobs.kafka.topic.key)
        } catch {
            throw CommandExit.status(for: error)
        }
        if checking.check { return checking.report("kafka create-topic") }
        LoggingBootstrap.bootstrap(level: .warning)
        let logger = Logger(label: "netchaos.kafka")
        do throws(KafkaError) {
            let admin = try KafkaAdmin(client: client, logger: logger)
            do throws(KafkaError) {
                try admin.createTopic(topic, partitions: partitions, replicationFactor: replicationFactor, configs: settings, timeout: timeout)
                Console.printLine("created topic \(topic): \(partitions) partitions, replication factor \(replicationFactor)")
            } catch where error.code == KafkaErrorCode.topicAlreadyExists && ifNotExists {
                let existing = (try? admin.partitionCount(topic)).flatMap { $0 }
                Console.printLine("topic \(topic) exists already\(existing.map { " (\($0) partitions)" } ?? "")")
            }
        } catch {
            var message = error.description
            if error.code == KafkaErrorCode.timedOut {
                message += " (no controller answered; note that `netchaos kafka dev-cluster`, librdkafka's mock cluster, does not implement CreateTopics: give it --topic NAME:PARTITIONS instead)"
            }
            throw CommandExit.failed(message)
        }
    }
}
