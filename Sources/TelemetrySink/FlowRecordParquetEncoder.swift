import TelemetryFormats
import TelemetryModel

/// Writes a batch of valid flow records as one Parquet file with the schema of
/// `netchaos generate --format parquet`, every field of the record optional (records of the
/// message producer have no `label`, `anomalies`, `generator_id`, `seq`, `start_ms` ...). One row
/// group per object.
///
/// The records are not parsed again: the validator stored where each field's value lies
/// (``PartitionBatch/fieldSpans``), and each column takes its field's values from there, column
/// by column, as ``FlowRecordField`` declares them.
final class FlowRecordParquetEncoder {
    /// A batch that does not hold what the encoder needs.
    struct Failure: Error, CustomStringConvertible {
        let problem: String
        var description: String { "the batch cannot be written as Parquet: \(problem)" }
    }

    static let schema = FlowRecordField.parquetSchema(everyFieldOptional: true)
    private static let stride = FlowRecordField.allCases.count

    private let options: ParquetWriterOptions

    init(level: Int) {
        options = ParquetWriterOptions(compression: .zstd, compressionLevel: level, rowGroupRows: .max, rowGroupBytes: .max, parallelism: 1)
    }

    func encode(_ batch: PartitionBatch) throws(Failure) -> [UInt8] {
        let count = batch.recordCount
        guard batch.recordStarts.count == count, batch.fieldSpans.count == count * Self.stride else {
            throw Failure(problem: "it holds \(batch.recordStarts.count) records' field spans for \(count) records (was it read by a sink writing JSON?)")
        }
        let writer = ParquetFileWriter(schema: Self.schema, options: options)
        var out = WriteBuffer(capacity: max(batch.records.count / 4, 4096))
        writer.start(into: &out)
        let starts = batch.recordStarts
        batch.records.withUnsafeBytes { records in
            batch.fieldSpans.withUnsafeBufferPointer { spans in
                for (column, field) in zip(writer.columns, FlowRecordField.leaves) {
                    column.batch { s in
                        for i in 0..<count {
                            // Each record is followed by its newline.
                            let end = i + 1 < count ? starts[i + 1] - 1 : records.count - 1
                            let record = UnsafeRawBufferPointer(rebasing: records[starts[i]..<end])
                            Self.append(field, of: FlowRecordValues(record: record, spans: spans.baseAddress! + i * Self.stride), to: &s)
                        }
                    }
                }
            }
        }
        writer.endRows(count, into: &out)
        writer.finish(into: &out)
        return out.bytes
    }

    /// One record's value of a column's field, or the null that says at which level it is missing.
    @inline(__always)
    private static func append(_ field: FlowRecordField, of record: FlowRecordValues, to s: inout ParquetColumnState) {
        if let container = field.container, !record.contains(container) { return s.appendNull() }
        // A member missing from its object is null one level down.
        let missing: UInt8 = field.container == nil ? 0 : 1
        switch field.value {
        case .seconds:
            // The column holds the record's end in milliseconds; records without `end_ms`, their second.
            if let end = record.integer(.endMs) {
                s.append(end)
            } else if let seconds = record.integer(field) {
                s.append(seconds &* 1_000)
            } else {
                s.appendNull()
            }
        case .integer:
            guard let value = record.integer(field) else { return s.appendNull(definition: missing) }
            if field.is32Bit { s.append(Int32(truncatingIfNeeded: value)) } else { s.append(value) }
        case .text, .address, .name:
            if record.withText(field, { s.append(bytes: $0) }) == nil { s.appendNull(definition: missing) }
        case .names:
            let count = record.forEachName(field) { name, index in s.append(bytes: name, repetition: index == 0 ? 0 : 1) }
            switch count {
            case nil: s.appendNull(definition: 0)
            case 0: s.appendNull(definition: 1)
            default: break
            }
        case .object:
            preconditionFailure("\(field) is a group, not a column")
        }
    }
}
