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
        let hasProducerSection = ["producer.message_count", "producer.workers", "producer.buffer_size"].contains { values.string($0) != nil }
        if hasProducerSection {
            // A file with its producer section is about its dataset, transactions, made as fast as possible.
            layer.beneath["generator.dataset"] = .text("transactions")
            layer.beneath["generator.eps_target"] = .text("max")
        }
        if values.string("producer.message_count") != nil {
            layer.beneath["generator.count"] = .text(String(try values.count("producer.message_count") ?? 0))
        }
        if let workers = try values.int("producer.workers", in: 1...256) { layer.beneath["generator.workers"] = .text(String(workers)) }
        if let buffer = try values.int("producer.buffer_size", in: 1...1_048_576) { layer.beneath["generator.buffer_records"] = .text(String(buffer)) }
        if let interval = try values.double("metrics.interval", in: 0...86_400) { layer.beneath["log.interval_sec"] = .text(String(interval)) }
        if let detailed = try values.bool("metrics.detailed") { layer.beneath["log.detailed"] = .text(String(detailed)) }
        try translateOutputs(values)

        if try values.int("output.csv.buffer_size", in: 1...Int.max) != nil {
            notes.append("output.csv.buffer_size has no effect: every output writes whole chunks of records")
        }
        if try values.bool("kafka.async") == false {
            notes.append("kafka.async=false has no effect: producing is asynchronous, and every delivery report is counted")
        }
        for key in ConfigKeys.unreadProducerKeys where values.string(key) != nil {
            notes.append("\(key) is not read: reference data is one file, generator.reference_data (the shape of examples/reference/transactions.json)")
        }
    }

    /// `output.directory` (its CSV and Parquet files, as `output.format` and the `enabled` flags
    /// say) and `kafka.enabled` (a Kafka output beside the others, when they name none).
    private mutating func translateOutputs(_ values: ConfigValues) throws(ConfigurationError) {
        let kafkaEnabled = try values.bool("kafka.enabled") == true
        let format = values.string("output.format")?.lowercased()
        let listed = values.list("outputs")
        guard let directory = values.string("output.directory") else {
            if format == "both" {
                throw ConfigurationError(key: "output.format", value: "both", allowed: "both only with output.directory (as in the message producer); else " + OutputFormat.allowedNames)
            }
            if kafkaEnabled, listed?.isEmpty != true, !(listed ?? []).contains(where: Self.namesKafka) {
                // With outputs unset, the Kafka output alone (not stdout as well).
                layer.replacing["outputs"] = .list((listed ?? []) + ["kafka"])
            }
            return
        }
        if listed != nil {
            throw ConfigurationError(key: "output.directory", value: directory, allowed: "either outputs or output.directory (the message producer's files), not both")
        }
        let wanted = format ?? "both"
        guard ["csv", "parquet", "both"].contains(wanted) else {
            throw ConfigurationError(key: "output.format", value: wanted, allowed: "csv, parquet or both with output.directory")
        }
        // The dataset as the configuration will read it: ours, else the one a producer section implies.
        let dataset = values.layered(layer).string("generator.dataset").flatMap(Dataset.init(name:)) ?? .flow
        let base = dataset == .flow ? "flows" : "transactions"
        var outputs: [OutputSpec] = []
        for (kind, name) in [(OutputFormat.csv, "csv"), (.parquet, "parquet")] where wanted == name || wanted == "both" {
            guard try values.bool("output.\(name).enabled") ?? true else { continue }
            let file = values.string("output.\(name).filename") ?? "\(base).\(name)"
            guard !file.isEmpty, !file.contains("/") else {
                throw ConfigurationError(key: "output.\(name).filename", value: file, allowed: "a file name without '/', in output.directory")
            }
            outputs.append(OutputSpec(destination: .file(path: directory.hasSuffix("/") ? directory + file : directory + "/" + file), format: kind))
        }
        if kafkaEnabled { outputs.append(OutputSpec(destination: .kafka(brokers: nil, topic: nil), format: .jsonl)) }
        guard !outputs.isEmpty else {
            throw ConfigurationError(key: "output.format", value: wanted, allowed: "a format whose output is enabled (output.csv.enabled and output.parquet.enabled are both false)")
        }
        files = outputs
        // The format chose the files; each file's format is its own.
        layer.replacing["output.format"] = .unset
    }

    private static func namesKafka(_ output: String) -> Bool {
        let lower = output.lowercased()
        return lower == "kafka" || lower.hasPrefix("kafka://")
    }
}
