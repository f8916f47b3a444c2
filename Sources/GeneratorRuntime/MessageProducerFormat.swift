import Settings

/// The message producer's configuration format, translated to our keys so that its YAML files
/// (and its environment names) run as they are. Our own keys win where both are set.
///
/// | its key | ours |
/// | --- | --- |
/// | a `producer` section | `generator.dataset` transactions, `generator.eps_target` max (its producer ran as fast as it could) |
/// | `producer.message_count` (0: continuous) | `generator.count` |
/// | `producer.workers` | `generator.workers` |
/// | `producer.buffer_size` | `generator.buffer_records` |
/// | `output.directory` with `output.format` csv, parquet or both and `output.csv.*`, `output.parquet.*` (`enabled`, `filename`) | the files, as outputs |
/// | `kafka.enabled` | a Kafka output added to the others |
/// | `metrics.interval` | `log.interval_sec` |
/// | `metrics.detailed` | `log.detailed` |
///
/// (`kafka.batch_size` and `kafka.flush_frequency` are read beside librdkafka's settings by
/// `KafkaProducerConfiguration`.) Its `data.*` reference files are not read, and
/// `output.csv.buffer_size` and `kafka.async` change nothing: ``notes`` says so, for the log.
struct MessageProducerFormat {
    /// Its values for our keys.
    private(set) var layer = ConfigLayer()
    /// Its files (`output.directory`), with a Kafka output when `kafka.enabled`; nil when its
    /// keys do not name the outputs.
    private(set) var files: [OutputSpec]?
    /// What was accepted without effect, for the log.
    private(set) var notes: [String] = []

    init(_ values: ConfigValues) throws(ConfigurationError) {
        let its = Knobs.messageProducer, generator = Knobs.generator, log = Knobs.general
        if values.isSet(its.messageCount) || values.isSet(its.workers) || values.isSet(its.bufferSize) {
            // A file with its producer section is about its dataset, transactions, made as fast as possible.
            layer.beneath[generator.dataset.knob.key] = .text("transactions")
            layer.beneath[generator.epsTarget.knob.key] = .text("max")
        }
        if values.isSet(its.messageCount) {
            layer.beneath[generator.count.knob.key] = .text(String(try values.value(its.messageCount) ?? 0))
        }
        if let workers = try values.value(its.workers) { layer.beneath[generator.workers.knob.key] = .text(String(workers)) }
        if let buffer = try values.value(its.bufferSize) { layer.beneath[generator.bufferRecords.knob.key] = .text(String(buffer)) }
        if let interval = try values.value(its.metricsInterval) { layer.beneath[log.logInterval.knob.key] = .text(String(interval)) }
        if let detailed = try values.value(its.metricsDetailed) { layer.beneath[log.logDetailed.knob.key] = .text(String(detailed)) }
        try translateOutputs(values)

        if try values.value(its.csvBufferSize) != nil {
            notes.append("\(its.csvBufferSize.knob.key) has no effect: every output writes whole chunks of records")
        }
        if try values.value(its.kafkaAsync) == false {
            notes.append("\(its.kafkaAsync.knob.key)=false has no effect: producing is asynchronous, and every delivery report is counted")
        }
        for key in ConfigKeys.unreadProducerKeys where values.isPresent(key) {
            notes.append("\(key) is not read: reference data is one file, \(generator.referenceData.knob.key) (the shape of examples/reference/transactions.json)")
        }
    }

    /// `output.directory` (its CSV and Parquet files, as `output.format` and the `enabled` flags
    /// say) and `kafka.enabled` (a Kafka output beside the others, when they name none).
    private mutating func translateOutputs(_ values: ConfigValues) throws(ConfigurationError) {
        let its = Knobs.messageProducer, output = Knobs.output
        let kafkaEnabled = try values.value(its.kafkaEnabled)
        let format = try values.value(output.format)?.lowercased()
        let listed = try values.value(output.outputs)
        guard let directory = try values.value(its.outputDirectory) else {
            if format == "both" {
                throw values.fail(output.format, "both", "both only with output.directory (as in the message producer); else " + OutputFormat.allowedNames)
            }
            if kafkaEnabled, listed?.isEmpty != true, !(listed ?? []).contains(where: Self.namesKafka) {
                // With outputs unset, the Kafka output alone (not stdout as well).
                layer.replacing[output.outputs.knob.key] = .list((listed ?? []) + ["kafka"])
            }
            return
        }
        if listed != nil {
            throw values.fail(its.outputDirectory, directory, "either outputs or output.directory (the message producer's files), not both")
        }
        let wanted = format ?? "both"
        guard ["csv", "parquet", "both"].contains(wanted) else {
            throw values.fail(output.format, wanted, "csv, parquet or both with output.directory")
        }
        // The dataset as the configuration will read it: ours, else the one a producer section implies.
        let dataset = values.layered(layer).text(Knobs.generator.dataset).flatMap(Dataset.init(name:)) ?? .flow
        let base = dataset == .flow ? "flows" : "transactions"
        var outputs: [OutputSpec] = []
        let files = [(OutputFormat.csv, "csv", its.csvEnabled, its.csvFilename), (.parquet, "parquet", its.parquetEnabled, its.parquetFilename)]
        for (kind, name, enabled, filename) in files where wanted == name || wanted == "both" {
            guard try values.value(enabled) else { continue }
            let file = try values.value(filename) ?? "\(base).\(name)"
            guard !file.contains("/") else { throw values.fail(filename, file, "a file name without '/', in output.directory") }
            outputs.append(OutputSpec(destination: .file(path: directory.hasSuffix("/") ? directory + file : directory + "/" + file), format: kind))
        }
        if kafkaEnabled { outputs.append(OutputSpec(destination: .kafka(brokers: nil, topic: nil), format: .jsonl)) }
        guard !outputs.isEmpty else {
            throw values.fail(output.format, wanted, "a format whose output is enabled (output.csv.enabled and output.parquet.enabled are both false)")
        }
        self.files = outputs
        // The format chose the files; each file's format is its own.
        layer.replacing[output.format.knob.key] = .unset
    }

    private static func namesKafka(_ output: String) -> Bool {
        let lower = output.lowercased()
        return lower == "kafka" || lower.hasPrefix("kafka://")
    }
}
