import Settings

/// Seed 003's (the message producer's) configuration keys, read beside ours so its YAML files run
/// as they are: `producer.*`, `output.format` csv|parquet|both with `output.directory` and the
/// per-format `enabled` and `filename`, `kafka.enabled`, `kafka.batch_size`,
/// `kafka.flush_frequency`, `metrics.*`. Our own keys win where both are set. The original's
/// `data.*` files are not read (``notes`` says so): reference data comes from one file,
/// `generator.reference_data`.
struct ProducerCompatibility {
    /// A `producer` section was given: the file is seed 003's, whose dataset is transactions.
    let hasProducerSection: Bool
    /// Whether `producer.message_count` was given, and its count (nil: continuous).
    let countGiven: Bool
    let count: UInt64?
    let workers: Int?
    /// Records to hold between generation and the outputs.
    let bufferRecords: Int?
    /// `output.format` when it names seed 003's `both`, else nil.
    let wantsBoth: Bool
    let directory: String?
    let kafkaEnabled: Bool?
    let logInterval: Double?
    let detailed: Bool
    /// What was accepted without effect, for the log.
    let notes: [String]

    init(_ values: ConfigValues) throws(ConfigurationError) {
        hasProducerSection = ["producer.message_count", "producer.workers", "producer.buffer_size"].contains { values.string($0) != nil }
        countGiven = values.string("producer.message_count") != nil
        count = try values.count("producer.message_count")
        workers = try values.int("producer.workers", in: 1...256)
        bufferRecords = try values.int("producer.buffer_size", in: 1...1_048_576)
        wantsBoth = values.string("output.format")?.lowercased() == "both"
        directory = values.string("output.directory")
        kafkaEnabled = try values.bool("kafka.enabled")
        logInterval = try values.double("metrics.interval", in: 0...86_400)
        detailed = try values.bool("metrics.detailed") ?? false
        var notes: [String] = []
        if try values.int("output.csv.buffer_size", in: 1...Int.max) != nil {
            notes.append("output.csv.buffer_size has no effect: every output writes whole chunks of records")
        }
        if try values.bool("kafka.async") == false {
            notes.append("kafka.async=false has no effect: producing is asynchronous, and every delivery report is counted")
        }
        for key in ConfigKeys.unreadProducerKeys where values.string(key) != nil {
            notes.append("\(key) is not read: reference data is one file, generator.reference_data (the shape of examples/reference/transactions.json)")
        }
        self.notes = notes
    }

    /// Seed 003's file outputs: CSV and/or Parquet in `output.directory`, as `output.format`
    /// (csv, parquet, both; unset: both) and the `enabled` flags say (none at all only when
    /// `kafka.enabled` is true). Nil without a directory.
    func fileOutputs(_ values: ConfigValues, dataset: Dataset) throws(ConfigurationError) -> [OutputSpec]? {
        guard let directory else { return nil }
        let format = values.string("output.format")?.lowercased() ?? "both"
        guard ["csv", "parquet", "both"].contains(format) else {
            throw ConfigurationError(key: "output.format", value: format, allowed: "csv, parquet or both with output.directory")
        }
        let base = dataset == .flow ? "flows" : "transactions"
        var outputs: [OutputSpec] = []
        let wanted: [(OutputFormat, String)] = [(.csv, "csv"), (.parquet, "parquet")]
        for (kind, name) in wanted where format == name || format == "both" {
            guard try values.bool("output.\(name).enabled") ?? true else { continue }
            let file = values.string("output.\(name).filename") ?? "\(base).\(name)"
            guard !file.isEmpty, !file.contains("/") else {
                throw ConfigurationError(key: "output.\(name).filename", value: file, allowed: "a file name without '/', in output.directory")
            }
            let path = directory.hasSuffix("/") ? directory + file : directory + "/" + file
            outputs.append(OutputSpec(destination: .file(path: path), format: kind))
        }
        guard !outputs.isEmpty || kafkaEnabled == true else {
            throw ConfigurationError(key: "output.format", value: format, allowed: "a format whose output is enabled (output.csv.enabled and output.parquet.enabled are both false)")
        }
        return outputs
    }
}
