import ArgumentParser
import BlockingWork
import Configuration
import Foundation
import KafkaTransport
import Logging
import ObjectStorage
import Observability
import Reconciliation
import Settings
import TransportSettings

/// `netchaos verify`: proves that a pipeline lost and repeated nothing. Reads a store (a
/// directory or an S3 prefix: records and dead letters), Kafka topics, or both, and accounts for
/// every slot of every generator: present, dead-lettered, or a planned drop (from the run's
/// manifest). Exit 0 when everything is accounted for, 1 on any loss or duplicate, 2 on bad
/// arguments or an unreadable source.
struct Verify: AsyncParsableCommand, KnobOptions {
    static let knobSections = ["config", "kafka", "s3"]

    static let configuration = CommandConfiguration(
        abstract: "Prove that nothing was lost or repeated: every seq of every generator_id is present, dead-lettered or a planned drop.",
        discussion: """
            Sources: --store (a directory or an S3 prefix as the sink writes it: records objects, dead letters under \
            dlq/, and any *.manifest.json), --topic (Kafka topics of records, read from the start to their current end) \
            and --dead-letter-topic. Give each run's manifest (netchaos generate --manifest) with --manifest, so planned \
            drops are not taken for losses. Exit 0: all accounted for; 1: something lost or repeated; 2: bad arguments \
            or a source that cannot be read.
            """
    )

    @Option(parsing: .unconditional, help: "A store to read: file:PATH, a directory, or s3://BUCKET[/PREFIX] (S3 settings from the environment or the configuration file).") var store: String?
    @Option(name: .customLong("topic"), help: "A Kafka topic of records to read (repeat for several).") var topics: [String] = []
    @Option(name: .customLong("dead-letter-topic"), help: "A Kafka topic of dead letters to read (repeat for several).") var deadLetterTopics: [String] = []
    @Option(name: .customLong("manifest"), help: "A run's manifest from netchaos generate --manifest (repeat for several generators).") var manifests: [String] = []
    @Option(parsing: .unconditional, help: "The store's dead-letter prefix (default dlq).") var deadLetterPrefix: String = "dlq"
    @Option(parsing: .unconditional, help: "Seconds to wait for Kafka topics to be read to their end (default 120).") var timeout: Double = 120
    @Flag(help: "Print the report as JSON.") var json = false
    @Option(parsing: .unconditional, help: .knob(Knobs.general.config)) var config: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.s3.endpoint)) var s3Endpoint: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.s3.region)) var s3Region: String?
    @OptionGroup(title: "Kafka") var kafka: KafkaClientOptions
    @OptionGroup var checking: CheckOption

    func run() async throws {
        var ledger = SlotLedger()
        var documents: [RunManifestDocument] = []
        var sources: [String] = []
        var objectsRead = 0
        var skipped: [String] = []
        let reader: ConfigReader
        var recordTopics = topics
        do throws(ConfigurationError) {
            reader = try await ConfigurationLoader.reader(flags: flagValues, kafkaProperties: kafka.properties, configFile: config)
            if let topic = kafka.kafkaTopic, !recordTopics.contains(topic) { recordTopics.append(topic) }
            guard store != nil || !recordTopics.isEmpty || !deadLetterTopics.isEmpty else {
                throw ConfigurationError(key: "verify", value: "", allowed: "a source: --store LOCATION, --topic NAME or --dead-letter-topic NAME")
            }
            guard timeout > 0 else { throw ConfigurationError(key: "timeout", value: String(timeout), allowed: "seconds > 0") }
        } catch {
            throw CommandExit.cannotCheck(error.description)
        }
        if checking.check { return checking.report("verify") }
        LoggingBootstrap.bootstrap(level: .warning)
        let logger = Logger(label: "netchaos.verify")
        for path in manifests {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CommandExit.cannotCheck("cannot read the manifest \(path)")
            }
            do throws(RunManifestDocument.ReadError) {
                documents.append(try RunManifestDocument(json: Array(data), origin: path))
            } catch {
                throw CommandExit.cannotCheck(error.description)
            }
        }
        if let location = store {
            let objectStore: any ObjectStore
            do throws(ConfigurationError) {
                let lower = location.lowercased()
                let named = lower.hasPrefix("s3://") || lower.hasPrefix("file:") ? location : "file:" + location
                objectStore = try StoreSettings.makeStore(location: named, config: reader, logger: logger)
            } catch {
                throw CommandExit.cannotCheck(error.description)
            }
            let storeReader = StoreReader(store: objectStore, deadLetterPrefix: deadLetterPrefix)
            do throws(StoreReader.ReadError) {
                let outcome = try await storeReader.read(into: &ledger)
                objectsRead += outcome.objectsRead
                skipped += outcome.skipped
                documents += outcome.manifests
            } catch {
                await objectStore.shutdown()
                throw CommandExit.cannotCheck(error.description)
            }
            await objectStore.shutdown()
            sources.append(objectStore.location)
        }
        if !recordTopics.isEmpty || !deadLetterTopics.isEmpty {
            do {
                var consumer = try KafkaConsumerConfiguration(config: reader)
                consumer.topics = recordTopics + deadLetterTopics
                let topicReader = TopicReader(configuration: consumer, deadLetterTopics: Set(deadLetterTopics), timeout: timeout)
                // Reading waits on the brokers: on a thread of its own, not a cooperative one.
                let before = ledger
                let (read, after) = try await DedicatedThread.run(named: "netchaos-verify") { () throws(KafkaError) in
                    var ledger = before
                    let read = try topicReader.read(into: &ledger, logger: logger)
                    return (read, ledger)
                }
                ledger = after
                objectsRead += read
                sources.append("kafka://\(consumer.client.brokers.joined(separator: ","))/\(consumer.topics.joined(separator: ","))")
            } catch let error as ConfigurationError {
                throw CommandExit.cannotCheck(error.description)
            } catch {
                throw CommandExit.cannotCheck("\(error)")
            }
        }
        let report = ReconciliationReport(ledger: ledger, manifests: documents, sources: sources, objectsRead: objectsRead, objectsSkipped: skipped)
        Console.write(fd: 1, json ? report.json + "\n" : report.text)
        if !report.ok { throw CommandExit.failure }
    }
}
