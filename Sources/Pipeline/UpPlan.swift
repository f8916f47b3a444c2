import Configuration
import GeneratorRuntime
import HTTPServing
import Ingester
import KafkaTransport
import Settings
import TelemetrySink
import TransportSettings

/// Everything `netchaos up` runs, derived from one configuration and checked before anything
/// starts: the flow generator (into the in-process queue, or Kafka when brokers are set), the
/// switch generator (snapshots in real time, posted to the ingester on the same port), the sink,
/// the ingester and its HTTP server, and how often the store is reconciled.
public struct UpPlan: Sendable {
    public var host: String
    public var port: Int
    /// Partitions and capacity of the in-process queue (unused with Kafka).
    public var partitions: Int
    public var queueBytes: Int
    public var flows: GeneratorConfiguration
    public var switches: GeneratorConfiguration
    public var sink: SinkConfiguration
    /// The Kafka consumer, when `kafka.brokers` is set; nil: the in-process queue.
    public var consumer: KafkaConsumerConfiguration?
    public var ingest: IngestConfiguration
    public var server: HTTPServerConfiguration
    public var logInterval: Double
    /// Seconds between reconciliation passes; nil: none.
    public var reconcileInterval: Double?
    /// The whole configuration, for the object store's settings.
    public var reader: ConfigReader

    /// Layers the configuration sources (command line > environment > file) over the values given
    /// for the command line, by configuration key; returns the reader and the YAML file's tree.
    public typealias Loader = @Sendable ([String: ConfigContent]) async throws(ConfigurationError) -> (reader: ConfigReader, document: ConfigTree?)

    /// The plan for the command-line values `flags`, read through `load`.
    public init(flags: [String: ConfigContent], load: Loader) async throws(ConfigurationError) {
        let (reader, _) = try await load(flags)
        let values = ConfigValues(reader)
        let generator = Knobs.generator, outputs = Knobs.output.outputs, up = Knobs.up
        logInterval = try values.value(Knobs.general.logInterval)
        if values.isBlankList(Knobs.kafka.brokers) {
            throw values.fail(Knobs.kafka.brokers, values.rawText(Knobs.kafka.brokers) ?? "", "at least one host:port, or unset for the in-process queue")
        }
        let usesKafka = values.isSet(Knobs.kafka.brokers)

        var flowFlags = flags
        flowFlags[generator.dataset.key] = .string("flow")
        flowFlags[outputs.key] = .stringArray([usesKafka ? "kafka" : "-"])
        let (flowReader, document) = try await load(flowFlags)
        flows = try GeneratorConfiguration(config: flowReader, document: document)
        flows.outputs = [OutputSpec(destination: usesKafka ? .kafka(brokers: nil, topic: nil) : .queue, format: .jsonl)]
        flows.progress = .off
        // POST /api/incidents starts scenario entries while the pipeline runs.
        flows.liveIncidentSlots = 32

        var switchFlags = flags
        switchFlags[generator.dataset.key] = .string("switch")
        switchFlags[outputs.key] = .stringArray(["-"])
        switchFlags[generator.epsTarget.key] = nil
        switchFlags[generator.timeRate.key] = nil
        if !values.isSet(generator.snapshotInterval) { switchFlags[generator.snapshotInterval.key] = .string("2s") }
        switches = try GeneratorConfiguration(config: try await load(switchFlags).reader)
        // Switch snapshots in real time, whatever rate the flows have.
        switches.rate = Double(switches.switchFleet.count) / switches.switchFleet.interval
        switches.timeRate = switches.rate ?? switches.timeRate
        switches.generatorID = String((flows.generatorID + "-switches").prefix(64))
        switches.progress = .off
        switches.logInterval = 0

        sink = try SinkConfiguration(config: reader)
        reconcileInterval = try Self.reconcileInterval(values)
        // Dead letters are read back from the store: with them in a Kafka topic alone no pass sees
        // them. (Without Kafka they always go to the store.)
        if usesKafka && !sink.deadLetters.usesStore { reconcileInterval = nil }
        flows.keepsManifest = reconcileInterval != nil
        host = try values.value(up.host)
        port = try values.value(up.port)
        partitions = try values.value(up.partitions)
        queueBytes = try values.value(up.queueBytes)
        consumer = usesKafka ? try KafkaConsumerConfiguration(config: reader) : nil
        ingest = try IngestConfiguration(config: reader)
        server = try HTTPServerConfiguration.forIngest(ingest, config: reader, host: host, port: port, hostKey: up.host.key, portKey: up.port.key)
        self.reader = reader
    }

    /// `up.reconcile_interval`: 5 s unless set; 0, off or none turn it off.
    static func reconcileInterval(_ values: ConfigValues) throws(ConfigurationError) -> Double? {
        let setting = Knobs.up.reconcileInterval
        guard let text = try values.value(setting) else { return 5 }
        if ["0", "off", "none"].contains(text.lowercased()) { return nil }
        guard let interval = ConfigValues.parseDuration(text), (0.1...3_600).contains(interval) else {
            throw values.fail(setting, text, "100ms to 1h, or 0/off")
        }
        return interval
    }
}
