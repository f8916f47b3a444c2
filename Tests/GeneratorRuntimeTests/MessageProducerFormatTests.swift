import Configuration
import GeneratorRuntime
import Settings
import Testing

/// The message producer's YAML keys read as our keys: its producer section, its files in a
/// directory, kafka.enabled, its metrics section; ours win where both are set.
@Suite struct MessageProducerFormatTests {
    static func configuration(flags: [String: String] = [:], yaml: String) async throws -> GeneratorConfiguration {
        try await ConfigurationTests.configuration(flags: flags, yaml: yaml)
    }

    @Test("its producer section: transactions as fast as possible, its count and workers; our keys win")
    func producerSection() async throws {
        let yaml = "producer:\n  message_count: 1234\n  workers: 5\n  buffer_size: 9000\n"
        let config = try await Self.configuration(yaml: yaml)
        #expect(config.dataset == .transactions && config.rate == nil)
        #expect(config.count == 1234 && config.workers == 5 && config.bufferRecords == 9000)
        let ours = try await Self.configuration(flags: ["generator.count": "10", "generator.workers": "2", "generator.eps_target": "300", "generator.dataset": "flow"], yaml: yaml)
        #expect(ours.dataset == .flow && ours.rate == 300 && ours.count == 10 && ours.workers == 2)
        // 0 is continuous, as in its files.
        #expect(try await Self.configuration(yaml: "producer:\n  message_count: 0\n").count == nil)
    }

    @Test("its directory: the CSV and Parquet files output.format names, each in its own format whatever its name")
    func directory() async throws {
        let both = try await Self.configuration(yaml: "producer:\n  workers: 1\noutput:\n  directory: out\n  format: both\n  csv:\n    filename: bets.txt\n")
        #expect(both.outputs == [
            OutputSpec(destination: .file(path: "out/bets.txt"), format: .csv), OutputSpec(destination: .file(path: "out/transactions.parquet"), format: .parquet),
        ])
        let parquetOnly = try await Self.configuration(yaml: "output:\n  directory: out/\n  format: parquet\nkafka:\n  enabled: true\n")
        #expect(parquetOnly.outputs == [
            OutputSpec(destination: .file(path: "out/flows.parquet"), format: .parquet), OutputSpec(destination: .kafka(brokers: nil, topic: nil), format: .jsonl),
        ])
        let csvOff = try await Self.configuration(yaml: "output:\n  directory: out\n  csv:\n    enabled: false\n")
        #expect(csvOff.outputs.map(\.format) == [.parquet])
    }

    @Test("kafka.enabled adds a Kafka output to ours, or stands alone")
    func kafkaEnabled() async throws {
        let alone = try await Self.configuration(yaml: "kafka:\n  enabled: true\n")
        #expect(alone.outputs == [OutputSpec(destination: .kafka(brokers: nil, topic: nil), format: .jsonl)])
        let beside = try await Self.configuration(flags: ["outputs": "flows.jsonl"], yaml: "kafka:\n  enabled: true\n")
        #expect(beside.outputs.map(\.destination) == [.file(path: "flows.jsonl"), .kafka(brokers: nil, topic: nil)])
        let already = try await Self.configuration(flags: ["outputs": "kafka://h:9092/t"], yaml: "kafka:\n  enabled: true\n")
        #expect(already.outputs.map(\.destination) == [.kafka(brokers: ["h:9092"], topic: "t")])
    }

    @Test("its metrics section sets our log settings, which win")
    func metrics() async throws {
        let config = try await Self.configuration(yaml: "metrics:\n  interval: 30\n  detailed: true\n")
        #expect(config.logInterval == 30 && config.detailedLogs)
        let ours = try await Self.configuration(flags: ["log.interval_sec": "2", "log.detailed": "false"], yaml: "metrics:\n  interval: 30\n  detailed: true\n")
        #expect(ours.logInterval == 2 && !ours.detailedLogs)
    }

    @Test("its values are checked under its own names")
    func errors() async throws {
        let workers = await #expect(throws: ConfigurationError.self) { try await Self.configuration(yaml: "producer:\n  workers: 900\n") }
        #expect(workers?.key == "producer.workers")
        let both = await #expect(throws: ConfigurationError.self) { try await Self.configuration(yaml: "output:\n  format: both\n") }
        #expect(both?.key == "output.format")
        let twice = await #expect(throws: ConfigurationError.self) { try await Self.configuration(flags: ["outputs": "x.jsonl"], yaml: "output:\n  directory: out\n") }
        #expect(twice?.key == "output.directory")
        let none = await #expect(throws: ConfigurationError.self) {
            try await Self.configuration(yaml: "output:\n  directory: out\n  csv:\n    enabled: false\n  parquet:\n    enabled: false\n")
        }
        #expect(none?.key == "output.format")
    }
}
