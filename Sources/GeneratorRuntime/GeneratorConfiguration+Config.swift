import Settings
import ChaosEngine
import Configuration
import Foundation
import KafkaTransport
import ObjectStorage
import TelemetryFormats
import TelemetryModel
import TransportSettings

extension GeneratorConfiguration {
    /// Reads and validates every knob (see ``ConfigKeys``). Unset knobs take their defaults.
    ///
    /// - Parameters:
    ///   - now: Unix seconds used when no start time is configured.
    ///   - randomSeed: used when no seed is configured.
    ///   - cores: the default worker count.
    ///   - document: the YAML file as a tree, for its typed sections (the network's roles).
    public init(
        config: ConfigReader, document: ConfigTree? = nil, now: Double = Date().timeIntervalSince1970, randomSeed: UInt64 = .random(in: 0 ... .max),
        cores: Int = ProcessInfo.processInfo.activeProcessorCount
    ) throws(ConfigurationError) {
        // The message producer's keys, translated to ours: from here on only our keys are read.
        let producer = try MessageProducerFormat(ConfigValues(config))
        let values = ConfigValues(config).layered(producer.layer)
        let datasetName = values.string("generator.dataset") ?? "flow"
        guard let dataset = Dataset(name: datasetName) else {
            throw ConfigurationError(key: "generator.dataset", value: datasetName, allowed: Dataset.allowedNames)
        }
        let reference = try values.string("generator.reference_data").map { (path: String) throws(ConfigurationError) in
            try TransactionReference.load(path: path, key: "generator.reference_data")
        } ?? .builtin
        let explicitRate = try values.rate("generator.eps_target")
        let workers = try values.int("generator.workers", in: 1...256) ?? min(max(cores, 1), 256)
        let count = try values.count("generator.count")
        let duration = try values.duration("generator.duration")
        let seed = try values.seed("generator.seed") ?? randomSeed
        let start = try values.startTime("generator.start_time") ?? now.rounded(.down)
        let timeRate = try values.positive("generator.time_rate", max: 1e9)
        let generatorID = try values.generatorID("generator.id")

        let explicitFormat = try values.string("output.format").map { (text: String) throws(ConfigurationError) -> OutputFormat in
            guard let format = OutputFormat(name: text) else {
                throw ConfigurationError(key: "output.format", value: text, allowed: OutputFormat.allowedNames)
            }
            return format
        }
        var outputs: [OutputSpec] = []
        if let files = producer.files {
            outputs = files
        } else {
            let listed = values.list("outputs")
            if let listed, listed.isEmpty { throw ConfigurationError(key: "outputs", value: "", allowed: "at least one output") }
            for text in listed ?? ["-"] { outputs.append(try OutputSpec(parsing: text, defaultFormat: explicitFormat)) }
        }
        var seenFiles = Set<String>()
        for output in outputs {
            if case .file(let path) = output.destination, !seenFiles.insert(path).inserted {
                throw ConfigurationError(key: "outputs", value: path, allowed: "each file at most once")
            }
        }
        for output in outputs {
            switch output.destination {
            case .http, .serve:
                guard dataset == .switches else {
                    throw ConfigurationError(key: "outputs", value: output.description, allowed: "http:// and serve:// outputs with the switch dataset (--dataset switch)")
                }
            default: break
            }
        }
        if outputs.filter({ if case .serve = $0.destination { true } else { false } }).count > 1 {
            throw ConfigurationError(key: "outputs", value: "serve://", allowed: "one serve:// output")
        }
        for output in outputs where !dataset.supports(output.format) {
            throw ConfigurationError(key: "output.format", value: output.format.rawValue, allowed: "jsonl, json.gz, csv or parquet for the \(dataset.rawValue) dataset (vpc is for flows)")
        }
        let usesKafka = outputs.contains { if case .kafka = $0.destination { true } else { false } }
        let kafka = usesKafka ? try KafkaProducerConfiguration(config: config) : KafkaProducerConfiguration()
        var s3: S3Configuration?
        for output in outputs {
            guard case .objectStore(let location) = output.destination else { continue }
            _ = try StoreSettings.location(location, key: "outputs")
            if location.lowercased().hasPrefix("s3://") && s3 == nil { s3 = try S3Configuration(config: config) }
        }
        if let incidents = values.string("output.incidents"), incidents.lowercased().hasPrefix("s3://") {
            guard IncidentTableOutput.objectLocation(incidents) != nil else {
                throw ConfigurationError(key: "output.incidents", value: incidents, allowed: "s3://BUCKET/KEY (an object's full key, such as s3://runs/day-1/incidents.jsonl)")
            }
            if s3 == nil { s3 = try S3Configuration(config: config) }
        }
        let rotate = try values.size("output.rotate_size", minimum: 64 * 1024)
        let gzipLevel = try values.int("output.gzip_level", in: 1...12) ?? 4
        var parquet = ParquetWriterOptions()
        if let name = values.string("output.parquet.compression") {
            guard let compression = ParquetCompression(name: name) else {
                throw ConfigurationError(key: "output.parquet.compression", value: name, allowed: ParquetCompression.allowedNames)
            }
            parquet.compression = compression
        }
        parquet.rowGroupRows = try values.int("output.parquet.row_group_size", in: 1...100_000_000) ?? parquet.rowGroupRows
        let vpcVersion = try values.int("output.vpc.version", in: FlowVPCEncoder.versions) ?? 2

        var chaos = ChaosConfiguration()
        chaos.enabled = try values.bool("chaos.enabled") ?? true
        chaos.latencySpike = try values.probability("chaos.latency_spike_prob") ?? chaos.latencySpike
        chaos.connectionReset = try values.probability("chaos.error_rate_prob") ?? chaos.connectionReset
        chaos.exfiltration = try values.probability("chaos.data_exfil_prob") ?? chaos.exfiltration
        chaos.malformed = try values.probability("chaos.malformed_prob") ?? chaos.malformed
        chaos.drop = try values.probability("chaos.drop_prob", max: 0.5) ?? chaos.drop
        chaos.portScan.enabled = try values.bool("chaos.port_scan.enabled") ?? true
        chaos.portScan.intervalSeconds = try values.positive("chaos.port_scan.interval_sec", max: 1e7) ?? 20
        chaos.portScan.ports = try values.int("chaos.port_scan.ports", in: PortScanConfiguration.allowedPorts) ?? 100
        chaos.portScan.spacingMilliseconds = try values.double("chaos.port_scan.spacing_ms", in: 0...60_000) ?? 2
        if let text = values.string("chaos.difficulty") {
            guard let difficulty = ChaosConfiguration.Difficulty(rawValue: text.lowercased()) else {
                throw ConfigurationError(key: "chaos.difficulty", value: text, allowed: "realistic or easy")
            }
            chaos.difficulty = difficulty
        }

        var transactionChaos = TransactionChaos()
        transactionChaos.enabled = chaos.enabled
        transactionChaos.duplicateSettlement = try values.probability("chaos.duplicate_settlement_prob") ?? transactionChaos.duplicateSettlement
        transactionChaos.currencyMismatch = try values.probability("chaos.currency_mismatch_prob") ?? transactionChaos.currencyMismatch
        transactionChaos.impossibleWinRatio = try values.probability("chaos.impossible_win_prob") ?? transactionChaos.impossibleWinRatio

        var switchChaos = SwitchChaos()
        switchChaos.enabled = chaos.enabled
        switchChaos.linkFlap = try values.probability("chaos.link_flap_prob") ?? switchChaos.linkFlap
        switchChaos.congestionSpike = try values.probability("chaos.congestion_prob") ?? switchChaos.congestionSpike
        switchChaos.errorBurst = try values.probability("chaos.error_burst_prob") ?? switchChaos.errorBurst
        switchChaos.stale = try values.probability("chaos.stale_prob") ?? switchChaos.stale
        switchChaos.missing = try values.probability("chaos.missing_prob", max: 0.5) ?? switchChaos.missing
        var fleet = SwitchFleet()
        fleet.count = try values.int("generator.switches", in: 1...100_000) ?? fleet.count
        if let interval = try values.duration("generator.snapshot_interval") {
            guard (0.001...3_600).contains(interval) else {
                throw ConfigurationError(key: "generator.snapshot_interval", value: String(interval), allowed: "a duration from 1ms to 1h")
            }
            fleet.interval = interval
        }

        // Switch snapshots come in real time (every switch once per snapshot interval); other
        // datasets 5000 records/s.
        let rate = explicitRate ?? (dataset == .switches ? fleet.realTimeRate : 5_000)

        let network = dataset == .flow ? try NetworkDeclaration.from(values, document: document, startTime: start) : .standard
        var shard = ShardSelection.all
        if let text = values.string("generator.shard") {
            guard let parsed = ShardSelection(text) else {
                throw ConfigurationError(key: "generator.shard", value: text, allowed: "I/N with 1 <= I <= N <= \(Topology.shardCount), such as 2/4")
            }
            guard dataset == .flow else { throw ConfigurationError(key: "generator.shard", value: text, allowed: "a shard of the flow dataset (--dataset flow)") }
            shard = parsed
        }
        var endTime: Double?
        if let text = values.string("generator.end_time") {
            guard dataset == .flow else { throw ConfigurationError(key: "generator.end_time", value: text, allowed: "an end of event time for the flow dataset (--dataset flow)") }
            if text.hasPrefix("+") {
                guard let span = ConfigValues.parseDuration(String(text.dropFirst())) else {
                    throw ConfigurationError(key: "generator.end_time", value: text, allowed: "Unix seconds, ISO-8601, or +DURATION after the start such as +48h")
                }
                endTime = start + span
            } else {
                endTime = try values.startTime("generator.end_time")
            }
            guard let end = endTime, end > start else {
                throw ConfigurationError(key: "generator.end_time", value: text, allowed: "a time after the start time")
            }
        }
        let skipProbability = try values.probability("output.vpc.skipdata_prob", max: 0.5)?.value
        let noData = try values.bool("output.vpc.nodata")

        let logInterval = try values.double("log.interval_sec", in: 0...86_400) ?? 5
        let progressText = values.string("log.progress") ?? "auto"
        guard let progress = ProgressMode(rawValue: progressText.lowercased()) else {
            throw ConfigurationError(key: "log.progress", value: progressText, allowed: "auto, on or off")
        }

        self.init(
            dataset: dataset, reference: reference, transactionChaos: transactionChaos, switchFleet: fleet, switchChaos: switchChaos,
            rate: rate == 0 ? nil : rate, workers: workers, count: count, duration: duration, seed: seed,
            startTime: start, timeRate: timeRate, generatorID: generatorID, outputs: outputs, rotateBytes: rotate,
            gzipLevel: gzipLevel, parquet: parquet, vpcVersion: vpcVersion, kafka: kafka, chaos: chaos, network: network, logInterval: logInterval, progress: progress
        )
        self.shard = shard
        self.endTime = endTime
        self.s3 = s3
        if let skipProbability { vpcSkipProbability = skipProbability }
        if let noData { vpcNoData = noData }
        if generatorID == nil && shard.count > 1 {
            self.generatorID = Self.defaultGeneratorID(seed: seed) + "-s\(shard.index)of\(shard.count)"
        }
        bufferRecords = try values.int("generator.buffer_records", in: 1...1_048_576)
        httpToken = values.secret("ingest.token").flatMap { $0.isEmpty ? nil : $0 }
        if let file = values.string("output.http.ca_file") {
            guard FileManager.default.isReadableFile(atPath: file) else {
                throw ConfigurationError(key: "output.http.ca_file", value: file, allowed: "a readable PEM file of certificates")
            }
            httpCAFile = file
        }
        detailedLogs = try values.bool("log.detailed") ?? false
        notes = producer.notes
        try readGroundTruth(values)
        try readScenarios(values, document: document)
    }

    /// `output.labels`, `output.labels_file` and `output.incidents`.
    private mutating func readGroundTruth(_ values: ConfigValues) throws(ConfigurationError) {
        if let text = values.string("output.labels") {
            guard let placement = LabelPlacement(rawValue: text.lowercased()) else {
                throw ConfigurationError(key: "output.labels", value: text, allowed: "inline, sidecar or none")
            }
            guard dataset == .flow || placement == .inline else {
                throw ConfigurationError(key: "output.labels", value: text, allowed: "inline for the \(dataset.rawValue) dataset (sidecar and none apply to flow records)")
            }
            labels = placement
        }
        labelsFile = values.string("output.labels_file").flatMap { $0.isEmpty ? nil : $0 }
        if labels == .sidecar && labelsFile == nil {
            // Beside the first file output: flows.jsonl.gz gives flows.labels.jsonl.
            guard let path = outputs.lazy.compactMap({ spec -> String? in if case .file(let path) = spec.destination { path } else { nil } }).first else {
                throw ConfigurationError(key: "output.labels_file", value: "", allowed: "a path for the labels of --labels sidecar (no file output to put them beside)")
            }
            var base = path
            for ext in [".gz", ".jsonl", ".json", ".csv", ".parquet", ".vpc", ".log", ".txt"] where base.lowercased().hasSuffix(ext) { base.removeLast(ext.count) }
            labelsFile = base + ".labels.jsonl"
        }
        if labels != .sidecar, let file = labelsFile {
            throw ConfigurationError(key: "output.labels_file", value: file, allowed: "a path only with --labels sidecar")
        }
        incidentsFile = values.string("output.incidents").flatMap { $0.isEmpty ? nil : $0 }
        manifestFile = values.string("output.manifest").flatMap { $0.isEmpty ? nil : $0 }
        if let file = incidentsFile, dataset != .flow {
            throw ConfigurationError(key: "output.incidents", value: file, allowed: "a path only for the flow dataset (incidents are flow records')")
        }
    }
}
