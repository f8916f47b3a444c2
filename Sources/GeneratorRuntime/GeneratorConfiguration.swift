import ChaosEngine
import KafkaTransport
import ObjectStorage
import TelemetryFormats
import TelemetryModel

/// Everything `netchaos generate` needs, validated. Built from a `ConfigReader` (flags >
/// environment > YAML > defaults) by ``init(config:)`` or directly in tests.
public struct GeneratorConfiguration: Sendable {
    /// How the live progress line is shown.
    public enum ProgressMode: String, Sendable { case auto, on, off }

    public var dataset: Dataset
    /// Reference data of the transactions dataset (built in, or from `generator.reference_data`).
    public var reference: TransactionReference
    public var transactionChaos: TransactionChaos
    /// Switches and the time between their snapshots (the switch dataset).
    public var switchFleet: SwitchFleet
    public var switchChaos: SwitchChaos
    /// Records per second; nil runs as fast as the machine allows.
    public var rate: Double?
    public var workers: Int
    /// Stop after exactly this many records (nil or 0: no limit).
    public var count: UInt64?
    /// Stop after this many seconds (nil: no limit).
    public var duration: Double?
    public var seed: UInt64
    /// Unix seconds of the first event.
    public var startTime: Double
    /// Events per simulated second in the timestamps.
    public var timeRate: Double
    public var generatorID: String
    public var outputs: [OutputSpec]
    /// Rotate files when they reach this many bytes (nil: never).
    public var rotateBytes: Int?
    public var gzipLevel: Int
    /// Codec and row groups of Parquet outputs (the footer's metadata is filled in at the start).
    public var parquet: ParquetWriterOptions
    /// The VPC Flow Logs version of vpc outputs (2-5).
    public var vpcVersion: Int
    /// The producer for Kafka outputs (their URL may override brokers and topic).
    public var kafka: KafkaProducerConfiguration
    public var chaos: ChaosConfiguration
    /// The simulated network (flows).
    public var network: NetworkDeclaration
    /// The part of the network this process simulates (`--shard I/N`).
    public var shard: ShardSelection = .all
    /// Flows: stop before the first record that ends at or after this (Unix seconds).
    public var endTime: Double?
    /// VPC flow logs: the chance that an interface's capture window is SKIPDATA.
    public var vpcSkipProbability = 0.0005
    /// VPC flow logs: report idle interfaces with NODATA lines.
    public var vpcNoData = true
    /// PCAP outputs: bytes kept of each packet.
    public var pcapSnaplen = 128
    /// Endpoint and credentials of `s3://` outputs.
    public var s3: S3Configuration?
    /// Seconds between periodic throughput lines (0: none).
    public var logInterval: Double
    public var progress: ProgressMode
    /// Records to hold between generation and the outputs (`generator.buffer_records`);
    /// nil: two chunks a worker.
    public var bufferRecords: Int?
    /// Periodic lines also give each output's records and bytes (`log.detailed`).
    public var detailedLogs = false
    /// Incidents on a timeline (`scenarios:` of the configuration, `--scenario FILE`).
    public var scenarios: [ScenarioEntry] = []
    /// Slots for incidents started while the run goes (`netchaos up`'s `POST /api/incidents`).
    public var liveIncidentSlots = 0
    /// Where flow records' ground truth goes; with `.sidecar`, the file it goes to.
    public var labels = LabelPlacement.inline
    public var labelsFile: String?
    /// Where the run's manifest goes (`output.manifest`): its slots, planned drops and malformed records.
    public var manifestFile: String?
    /// Keep the manifest in memory even without a file (``GeneratorService/manifest``).
    public var keepsManifest = false
    /// The incident table's file (`--incidents`): JSON lines, or CSV for a `.csv` path.
    public var incidentsFile: String?
    /// Settings accepted without effect, logged at the start.
    public var notes: [String] = []
    /// The bearer token HTTP outputs send (`ingest.token`, the ingester's `INGEST_TOKEN`).
    public var httpToken: String?
    /// PEM certificates HTTPS outputs trust instead of the system's (`output.http.ca_file`).
    public var httpCAFile: String?
    /// Whether HTTPS outputs check the certificate names the host they post to (`up` posts to its
    /// own port on 127.0.0.1 and trusts only its own certificate instead).
    public var httpVerifiesHostname = true

    /// The address a `serve://` output serves `/counters` on, if any.
    public var servedAddress: (host: String, port: Int)? {
        for output in outputs { if case .serve(let host, let port) = output.destination { return (host, port) } }
        return nil
    }

    public init(
        dataset: Dataset = .flow, reference: TransactionReference = .builtin, transactionChaos: TransactionChaos = TransactionChaos(),
        switchFleet: SwitchFleet = SwitchFleet(), switchChaos: SwitchChaos = SwitchChaos(),
        rate: Double? = nil, workers: Int = 2, count: UInt64? = nil, duration: Double? = nil, seed: UInt64 = 1,
        startTime: Double = 1_780_000_000, timeRate: Double? = nil, generatorID: String? = nil,
        outputs: [OutputSpec] = [OutputSpec(destination: .stdout, format: .jsonl)], rotateBytes: Int? = nil,
        gzipLevel: Int = 4, parquet: ParquetWriterOptions = ParquetWriterOptions(), vpcVersion: Int = 2, kafka: KafkaProducerConfiguration = KafkaProducerConfiguration(), chaos: ChaosConfiguration = ChaosConfiguration(), network: NetworkDeclaration = .standard,
        logInterval: Double = 0, progress: ProgressMode = .off
    ) {
        self.dataset = dataset
        self.reference = reference
        self.transactionChaos = transactionChaos
        self.switchFleet = switchFleet
        self.switchChaos = switchChaos
        self.rate = rate
        self.workers = workers
        self.count = count == 0 ? nil : count
        self.duration = duration
        self.seed = seed
        self.startTime = startTime
        self.timeRate = timeRate ?? rate ?? Self.defaultTimeRate
        self.generatorID = generatorID ?? Self.defaultGeneratorID(seed: seed)
        self.outputs = outputs
        self.rotateBytes = rotateBytes
        self.gzipLevel = gzipLevel
        self.parquet = parquet
        self.vpcVersion = vpcVersion
        self.kafka = kafka
        self.chaos = chaos
        self.network = network
        self.logInterval = logInterval
        self.progress = progress
    }

    /// Whether the dataset's chaos is on.
    public var chaosEnabled: Bool {
        switch dataset {
        case .flow: chaos.enabled
        case .transactions: transactionChaos.enabled
        case .switches: switchChaos.enabled
        }
    }

    /// Timestamps advance at this many events per second when generating at max rate.
    public static let defaultTimeRate = 5_000.0

    /// What the flow simulation needs besides the network.
    public var simulationSettings: SimulationSettings {
        var settings = SimulationSettings(seed: seed, startMs: Int64((startTime * 1_000).rounded()), timeRate: timeRate, chaos: chaos, shards: shard)
        settings.scenarios = scenarios
        settings.liveSlots = liveIncidentSlots
        // Incidents started at run time show within seconds: steps of at most one simulated second.
        if liveIncidentSlots > 0 { settings.maxStepMs = 1_000 }
        return settings
    }

    /// `gen-` and 8 hex digits derived from the seed: stable for a seed, distinct across seeds.
    public static func defaultGeneratorID(seed: UInt64) -> String {
        let hash = SeedMixer.finalize(seed ^ 0x6e65_7463_6861_6f73) >> 32
        let hex = String(hash, radix: 16)
        return "gen-" + String(repeating: "0", count: 8 - hex.count) + hex
    }
}
