import ArgumentParser
import Configuration
import Foundation
import KafkaTransport
import Logging
import Observability
import ServiceLifecycle
import Settings
import TransportSettings

/// `netchaos kafka consume`: reads a topic in a consumer group and prints each record's value on
/// its own line, committing offsets after the lines are written.
struct KafkaConsume: AsyncParsableCommand, KnobOptions {
    static let knobSections = ["config", "kafka"]

    static let configuration = CommandConfiguration(
        commandName: "consume",
        abstract: "Print a topic's records, one per line, as a consumer group member that commits what it printed."
    )

    @OptionGroup var kafka: KafkaClientOptions
    @OptionGroup var checking: CheckOption
    @Option(parsing: .unconditional, help: .knob(Knobs.general.config)) var config: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.kafka.groupId, default: "a new group, so the sink's group is never disturbed")) var group: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.kafka.offsetReset)) var offsetReset: String?
    @Option(parsing: .unconditional, help: "Stop after exactly this many records.") var count: Int?
    @Option(parsing: .unconditional, help: "Give up after this many seconds (exit 1 when --count was not reached).") var timeout: Double?
    @Option(parsing: .unconditional, help: "value (the record as it is) or envelope (JSON with topic, partition, offset, key, value).") var print: String = "value"

    func run() async throws {
        let configuration: KafkaConsumerConfiguration
        do throws(ConfigurationError) {
            guard ["value", "envelope"].contains(print) else { throw ConfigurationError(key: "print", value: print, allowed: "value or envelope") }
            if let count, count < 1 { throw ConfigurationError(key: "count", value: String(count), allowed: "a whole number >= 1") }
            if let timeout, !(timeout > 0) { throw ConfigurationError(key: "timeout", value: String(timeout), allowed: "seconds > 0") }
            let reader = try await ConfigurationLoader.reader(flags: flagValues, kafkaProperties: kafka.properties, configFile: config)
            var consumer = try KafkaConsumerConfiguration(config: reader)
            if !ConfigValues(reader).isSet(Knobs.kafka.groupId) {
                // Not the sink's default group: a group of its own.
                consumer.groupID = "netchaos-consume-\(getpid())-\(UInt32.random(in: 0 ... .max))"
            }
            configuration = consumer
        } catch {
            throw CommandExit.status(for: error)
        }
        if checking.check { return checking.report("kafka consume") }
        LoggingBootstrap.bootstrap(level: .warning)
        let logger = Logger(label: "netchaos.kafka.consume")
        let printer = RecordPrinter(limit: count, deadline: timeout.map { Date().addingTimeInterval($0) }, envelope: print == "envelope", logger: logger)
        let service: KafkaConsumerService
        do throws(KafkaError) {
            service = try KafkaConsumerService(configuration: configuration, delegate: printer, logger: logger)
        } catch {
            throw CommandExit.status(for: error)
        }
        do {
            try await ServiceRunner.run(service)
        } catch let error as KafkaError {
            throw CommandExit.status(for: error)
        }
        let printed = printer.printed
        if let failure = printer.failure {
            throw CommandExit.failed(failure)
        }
        if let count, printed < count {
            throw CommandExit.failed("consumed \(printed) of \(count) records from \(configuration.topics.joined(separator: ",")) before the timeout")
        }
    }
}
