import TelemetryModel

extension FlowRecordField {
    /// The flow schema of `netchaos generate --format parquet` (and, with `everyFieldOptional`,
    /// the sink's, whose records may lack any field the Go producer does not write), one column
    /// per ``leaves`` entry with or without the ground truth.
    public static func parquetSchema(labels: Bool = true, everyFieldOptional: Bool = false) -> ParquetSchema {
        ParquetSchema(recordFields.filter { labels || !$0.isGroundTruth }.map { $0.parquetField(everyFieldOptional: everyFieldOptional) })
    }

    /// This field in a Parquet schema. The record's own fields are optional when malformed records
    /// may lack them (the Go producer's) or records may leave them out; members of `app_layer`
    /// and `tags` are required unless records may leave them out.
    func parquetField(everyFieldOptional: Bool) -> ParquetField {
        let repetition: ParquetRepetition = switch (container, presence) {
        case (nil, .always): everyFieldOptional ? .optional : .required
        case (nil, _), (_, .sometimes): .optional
        case (_, .required), (_, .always): .required
        }
        let name = key
        switch value {
        case .seconds: return .int64(name, repetition, .timestampMillis, dictionary: isCategorical)
        case .integer: return is32Bit ? .int32(name, repetition, dictionary: isCategorical) : .int64(name, repetition, dictionary: isCategorical)
        case .text, .address, .name: return .string(name, repetition, dictionary: isCategorical)
        case .names: return .stringList(name, repetition, dictionary: isCategorical)
        case .object: return .group(name, repetition, members().map { $0.parquetField(everyFieldOptional: everyFieldOptional) })
        }
    }
}
