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
        logInterval = try values.double("log.interval_sec", in: 0...86_400) ?? 5
        if values.isBlankList("kafka.brokers") {
            throw ConfigurationError(
                key: "kafka.brokers", value: values.reader.string(forKey: "kafka.brokers") ?? "", allowed: "at least one host:port, or unset for the in-process queue"
            )
        }
        let usesKafka = values.string("kafka.brokers") != nil

        var flowFlags = flags
        flowFlags["generator.dataset"] = .string("flow")
        flowFlags["outputs"] = .stringArray([usesKafka ? "kafka" : "-"])
        let (flowReader, document) = try await load(flowFlags)
        flows = try GeneratorConfiguration(config: flowReader, document: document)
        flows.outputs = [OutputSpec(destination: usesKafka ? .kafka(brokers: nil, topic: nil) : .queue, format: .jsonl)]
        flows.progress = .off
        // POST /api/incidents starts scenario entries while the pipeline runs.
        flows.liveIncidentSlots = 32

        var switchFlags = flags
        switchFlags["generator.dataset"] = .string("switch")
        switchFlags["outputs"] = .stringArray(["-"])
        switchFlags["generator.eps_target"] = nil
        switchFlags["generator.time_rate"] = nil
        if values.string("generator.snapshot_interval") == nil { switchFlags["generator.snapshot_interval"] = .string("2s") }
        switches = try GeneratorConfiguration(config: try await load(switchFlags).reader)
        // Switch snapshots in real time, whatever rate the flows have.
        switches.rate = Double(switches.switchFleet.count) / switches.switchFleet.interval
        switches.timeRate = switches.rate ?? switches.timeRate
        switches.generatorID = String((flows.generatorID + "-switches").prefix(64))
        switches.progress = .off
        switches.logInterval = 0

        let hasS3 = ["s3.endpoint", "s3.access_key_id", "s3.bucket"].contains { values.string($0) != nil }
        sink = try SinkConfiguration(config: reader, hasS3Settings: hasS3)
        reconcileInterval = try Self.reconcileInterval(values)
        // Dead letters are read back from the store: with them in a Kafka topic alone no pass sees
        // them. (Without Kafka they always go to the store.)
        if usesKafka && !sink.deadLetters.usesStore { reconcileInterval = nil }
        flows.keepsManifest = reconcileInterval != nil
        host = values.string("up.host") ?? "0.0.0.0"
        port = try values.int("up.port", in: 0...65_535) ?? 8080
        partitions = try values.int("up.partitions", in: 1...256) ?? 4
        queueBytes = try values.size("up.queue_bytes", in: (1 << 20)...(16 << 30), example: "64MB") ?? 64 << 20
        consumer = usesKafka ? try KafkaConsumerConfiguration(config: reader) : nil
        ingest = try IngestConfiguration(config: reader)
        server = try HTTPServerConfiguration.forIngest(ingest, config: reader, host: host, port: port, hostKey: "up.host", portKey: "up.port")
        self.reader = reader
    }

    /// `up.reconcile_interval`: 5 s unless set; 0, off or none turn it off.
    static func reconcileInterval(_ values: ConfigValues) throws(ConfigurationError) -> Double? {
        if let text = values.string("up.reconcile_interval"), ["0", "off", "none"].contains(text.lowercased()) { return nil }
        guard let interval = try values.duration("up.reconcile_interval") else { return 5 }
        guard (0.1...3_600).contains(interval) else {
            throw ConfigurationError(key: "up.reconcile_interval", value: values.string("up.reconcile_interval") ?? "", allowed: "100ms to 1h, or 0/off")
        }
        return interval
    }
}
