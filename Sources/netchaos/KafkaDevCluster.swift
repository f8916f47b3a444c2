import ArgumentParser
import KafkaTransport
import Logging
import Observability
import ServiceLifecycle

/// `netchaos kafka dev-cluster`: librdkafka's mock cluster as a stand-alone development broker.
struct KafkaDevCluster: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev-cluster",
        abstract: "Run an in-memory Kafka cluster (librdkafka's mock brokers) until stopped.",
        discussion: """
            Prints the bootstrap servers on the first line of stdout. The brokers speak the real \
            Kafka protocol (kcat and other clients work) but keep data in memory only, about 5 MiB \
            per partition, and forget everything when stopped. Not for production. With --control, lines on \
            stdin change the cluster while it runs, to test outages: 'down N' takes broker N (1-based) off the \
            network, 'up N' brings it back, 'leader TOPIC PARTITION N' moves a partition's leadership, \
            'coordinator GROUP N' makes broker N the consumer group's coordinator; each \
            command is answered on stdout ('ok down 2', or 'error ...').
            """
    )

    @Option(parsing: .unconditional, help: "Number of brokers (default 3).") var brokers: Int = 3
    @Option(name: .customLong("topic"), help: "A topic to create, NAME or NAME:PARTITIONS; repeat for several (default network-telemetry:12).") var topics: [String] = []
    @Flag(help: "Read commands from stdin: down N, up N, leader TOPIC PARTITION N, coordinator GROUP N.") var control = false

    func run() async throws {
        guard (1...16).contains(brokers) else {
            throw CommandExit.usage("invalid value '\(brokers)' for --brokers: 1-16")
        }
        var wanted: [(String, Int)] = []
        for text in topics.isEmpty ? ["\(KafkaProducerConfiguration.defaultTopic):12"] : topics {
            let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
            guard let name = parts.first, KafkaProducerConfiguration.isValidTopic(name),
                  let count = parts.count > 1 ? Int(parts[1]) : 12, (1...10_000).contains(count)
            else {
                throw CommandExit.usage("invalid value '\(text)' for --topic: NAME or NAME:PARTITIONS (1-10000), NAME of A-Z a-z 0-9 . _ -")
            }
            wanted.append((name, count))
        }
        LoggingBootstrap.bootstrap(level: .warning)
        let logger = Logger(label: "netchaos.kafka.dev-cluster")
        let cluster: KafkaMockCluster
        do throws(KafkaError) {
            cluster = try KafkaMockCluster(brokers: brokers, logger: logger)
            for (name, count) in wanted { try cluster.createTopic(name, partitions: count) }
        } catch {
            throw CommandExit.status(for: error)
        }
        Console.printLine(cluster.bootstrapServers)
        Console.write(fd: 2, "netchaos: dev cluster with \(brokers) brokers at \(cluster.bootstrapServers); topics: "
            + wanted.map { "\($0.0) (\($0.1) partitions)" }.joined(separator: ", ")
            + ". In memory only (about 5 MiB per partition). Ctrl-C stops it.\n")
        if control { DevClusterControl(cluster: cluster, brokers: brokers).start() }
        try await ServiceRunner.run(UntilShutdown())
        withExtendedLifetime(cluster) {}
    }
}

/// A service that only waits for graceful shutdown.
struct UntilShutdown: Service {
    func run() async throws {
        try? await gracefulShutdown()
    }
}
