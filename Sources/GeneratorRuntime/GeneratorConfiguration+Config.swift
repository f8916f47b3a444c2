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
    /// Reads and validates every knob of `Knobs.generator`, `.output`, `.chaos` and `.network`.
    /// Unset knobs take their declared defaults.
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
        let knobs = Knobs.generator, output = Knobs.output
        let datasetName = try values.value(knobs.dataset)
        guard let dataset = Dataset(name: datasetName) else { throw values.fail(knobs.dataset, datasetName, Dataset.allowedNames) }
        let reference = try values.value(knobs.referenceData).map { (path: String) throws(ConfigurationError) in
            try TransactionReference.load(path: path, key: knobs.referenceData.knob.key)
        } ?? .builtin
        let explicitRate = try values.value(knobs.epsTarget)
        let workers = try values.value(knobs.workers) ?? min(max(cores, 1), 256)
        let count = try values.value(knobs.count)
        let duration = try values.value(knobs.duration)
        let seed = try values.value(knobs.seed) ?? randomSeed
        let start = try values.value(knobs.startTime) ?? now.rounded(.down)
        let timeRate = try values.value(knobs.timeRate)
        let generatorID = try values.value(knobs.id)

        let explicitFormat = try values.value(output.format).map { (text: String) throws(ConfigurationError) -> OutputFormat in
            guard let format = OutputFormat(name: text) else { throw values.fail(output.format, text, OutputFormat.allowedNames) }
            return format
        }
        var outputs: [OutputSpec] = []
        if let files = producer.files {
            outputs = files
        } else {
            let listed = try values.value(output.outputs)
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
            case .netflow, .syslog:
                guard dataset == .flow else {
                    throw values.fail(Knobs.output.outputs, output.description, "netflow://, ipfix:// and syslog:// outputs with the flow dataset (flow records are what a collector or a firewall log holds)")
                }
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
            throw values.fail(Knobs.output.format, output.format.rawValue, "jsonl, json.gz, csv or parquet for the \(dataset.rawValue) dataset (vpc, zeek, zeek-json, cef and pcap are for flows)")
        }
        let usesKafka = outputs.contains { if case .kafka = $0.destination { true } else { false } }
        let kafka = usesKafka ? try KafkaProducerConfiguration(config: config) : KafkaProducerConfiguration()
        var s3: S3Configuration?
        for output in outputs {
            guard case .objectStore(let location) = output.destination else { continue }
            _ = try StoreSettings.location(location, key: "outputs")
            if location.lowercased().hasPrefix("s3://") && s3 == nil { s3 = try S3Configuration(config: config) }
        }
        if let incidents = try values.value(output.incidents), incidents.lowercased().hasPrefix("s3://") {
            guard IncidentTableOutput.objectLocation(incidents) != nil else {
                throw values.fail(Knobs.output.incidents, incidents, "s3://BUCKET/KEY (an object's full key, such as s3://runs/day-1/incidents.jsonl)")
            }
            if s3 == nil { s3 = try S3Configuration(config: config) }
        }
        let rotate = try values.value(output.rotateSize)
        let gzipLevel = try values.value(output.gzipLevel)
        var parquet = ParquetWriterOptions()
        if let name = try values.value(output.parquetCompression) {
            guard let compression = ParquetCompression(name: name) else {
                throw values.fail(output.parquetCompression, name, ParquetCompression.allowedNames)
            }
            parquet.compression = compression
        }
        parquet.rowGroupRows = try values.value(output.parquetRowGroupSize)
        let vpcVersion = try values.value(output.vpcVersion)

        let chaosKnobs = Knobs.chaos
        var chaos = ChaosConfiguration()
        chaos.enabled = try values.value(chaosKnobs.enabled)
        chaos.latencySpike = try values.probability(chaosKnobs.latencySpikeProb)
        chaos.connectionReset = try values.probability(chaosKnobs.errorRateProb)
        chaos.exfiltration = try values.probability(chaosKnobs.dataExfilProb)
        chaos.malformed = try values.probability(chaosKnobs.malformedProb)
        chaos.drop = try values.probability(chaosKnobs.dropProb)
        chaos.portScan.enabled = try values.value(chaosKnobs.portScanEnabled)
        chaos.portScan.intervalSeconds = try values.value(chaosKnobs.portScanIntervalSec)
        chaos.portScan.ports = try values.value(chaosKnobs.portScanPorts)
        chaos.portScan.spacingMilliseconds = try values.value(chaosKnobs.portScanSpacingMs)
        let difficulty = try values.value(chaosKnobs.difficulty)
        guard let level = ChaosConfiguration.Difficulty(rawValue: difficulty) else { throw values.fail(chaosKnobs.difficulty, difficulty, "realistic or easy") }
        chaos.difficulty = level

        var transactionChaos = TransactionChaos()
        transactionChaos.enabled = chaos.enabled
        transactionChaos.duplicateSettlement = try values.probability(chaosKnobs.duplicateSettlementProb)
        transactionChaos.currencyMismatch = try values.probability(chaosKnobs.currencyMismatchProb)
        transactionChaos.impossibleWinRatio = try values.probability(chaosKnobs.impossibleWinProb)

        var switchChaos = SwitchChaos()
        switchChaos.enabled = chaos.enabled
        switchChaos.linkFlap = try values.probability(chaosKnobs.linkFlapProb)
        switchChaos.congestionSpike = try values.probability(chaosKnobs.congestionProb)
        switchChaos.errorBurst = try values.probability(chaosKnobs.errorBurstProb)
        switchChaos.stale = try values.probability(chaosKnobs.staleProb)
        switchChaos.missing = try values.probability(chaosKnobs.missingProb)
        var fleet = SwitchFleet()
        fleet.count = try values.value(knobs.switches)
        fleet.interval = try values.value(knobs.snapshotInterval)

        // Switch snapshots come in real time (every switch once per snapshot interval); other
        // datasets 5000 records/s.
        let rate = explicitRate ?? (dataset == .switches ? fleet.realTimeRate : 5_000)

        let network = dataset == .flow ? try NetworkDeclaration.from(values, document: document, startTime: start) : .standard
        var shard = ShardSelection.all
        if let text = try values.value(knobs.shard) {
            guard let parsed = ShardSelection(text) else {
                throw values.fail(knobs.shard, text, "I/N with 1 <= I <= N <= \(Topology.shardCount), such as 2/4")
            }
            guard dataset == .flow else { throw values.fail(knobs.shard, text, "a shard of the flow dataset (--dataset flow)") }
            shard = parsed
        }
        var endTime: Double?
        if let text = try values.value(knobs.endTime) {
            guard dataset == .flow else { throw values.fail(knobs.endTime, text, "an end of event time for the flow dataset (--dataset flow)") }
            if text.hasPrefix("+") {
                guard let span = ConfigValues.parseDuration(String(text.dropFirst())) else {
                    throw values.fail(knobs.endTime, text, "Unix seconds, ISO-8601, or +DURATION after the start such as +48h")
                }
                endTime = start + span
            } else {
                guard let time = ConfigValues.parseTime(text) else {
                    throw values.fail(knobs.endTime, text, "Unix seconds, ISO-8601 (2026-11-22T08:00:00Z), or +DURATION after the start such as +48h")
                }
                endTime = time
            }
            guard let end = endTime, end > start else { throw values.fail(knobs.endTime, text, "a time after the start time") }
        }
        let skipProbability = try values.value(output.vpcSkipdataProb)
        let noData = try values.value(output.vpcNodata)

        let general = Knobs.general
        let logInterval = try values.value(general.logInterval)
        let progressText = try values.value(general.logProgress)
        guard let progress = ProgressMode(rawValue: progressText) else { throw values.fail(general.logProgress, progressText, "auto, on or off") }

        self.init(
            dataset: dataset, reference: reference, transactionChaos: transactionChaos, switchFleet: fleet, switchChaos: switchChaos,
            rate: rate == 0 ? nil : rate, workers: workers, count: count, duration: duration, seed: seed,
            startTime: start, timeRate: timeRate, generatorID: generatorID, outputs: outputs, rotateBytes: rotate,
            gzipLevel: gzipLevel, parquet: parquet, vpcVersion: vpcVersion, kafka: kafka, chaos: chaos, network: network, logInterval: logInterval, progress: progress
        )
        self.shard = shard
        self.endTime = endTime
        self.s3 = s3
        vpcSkipProbability = skipProbability
        vpcNoData = noData
        pcapSnaplen = try values.value(output.pcapSnaplen)
        if generatorID == nil && shard.count > 1 {
            self.generatorID = Self.defaultGeneratorID(seed: seed) + "-s\(shard.index)of\(shard.count)"
        }
        bufferRecords = try values.value(knobs.bufferRecords)
        httpToken = try values.value(Knobs.ingest.token)
        if let file = try values.value(output.httpCaFile) {
            guard FileManager.default.isReadableFile(atPath: file) else { throw values.fail(output.httpCaFile, file, "a readable PEM file of certificates") }
            httpCAFile = file
        }
        detailedLogs = try values.value(general.logDetailed)
        notes = producer.notes
        try readGroundTruth(values)
        try readScenarios(values, document: document)
    }

    /// `output.labels`, `output.labels_file` and `output.incidents`.
    private mutating func readGroundTruth(_ values: ConfigValues) throws(ConfigurationError) {
        let output = Knobs.output
        let text = try values.value(output.labels)
        guard let placement = LabelPlacement(rawValue: text) else { throw values.fail(output.labels, text, "inline, sidecar or none") }
        guard dataset == .flow || placement == .inline else {
            throw values.fail(output.labels, text, "inline for the \(dataset.rawValue) dataset (sidecar and none apply to flow records)")
        }
        labels = placement
        labelsFile = try values.value(output.labelsFile)
        if labels == .sidecar && labelsFile == nil {
            // Beside the first file output: flows.jsonl.gz gives flows.labels.jsonl.
            guard let path = outputs.lazy.compactMap({ spec -> String? in if case .file(let path) = spec.destination { path } else { nil } }).first else {
                throw values.fail(output.labelsFile, "", "a path for the labels of --labels sidecar (no file output to put them beside)")
            }
            var base = path
            for ext in [".gz", ".jsonl", ".json", ".csv", ".parquet", ".vpc", ".log", ".txt"] where base.lowercased().hasSuffix(ext) { base.removeLast(ext.count) }
            labelsFile = base + ".labels.jsonl"
        }
        if labels != .sidecar, let file = labelsFile {
            throw values.fail(output.labelsFile, file, "a path only with --labels sidecar")
        }
        incidentsFile = try values.value(output.incidents)
        manifestFile = try values.value(output.manifest)
        if let file = incidentsFile, dataset != .flow {
            throw values.fail(output.incidents, file, "a path only for the flow dataset (incidents are flow records')")
        }
    }
}
