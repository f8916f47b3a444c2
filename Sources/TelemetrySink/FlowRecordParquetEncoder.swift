import Foundation
import TelemetryFormats

/// Writes a batch of valid flow records (NDJSON) as one Parquet file with the schema of
/// `netchaos generate --format parquet`, every top-level field optional (records of the message
/// producer have no `label`, `anomalies`, `generator_id`, `seq`, `start_ms` ...). One row group per
/// object.
final class FlowRecordParquetEncoder {
    /// A record that is not the JSON object the validator promised.
    struct Failure: Error, CustomStringConvertible {
        let line: Int
        let problem: String
        var description: String { "record \(line) of the batch cannot be written as Parquet: \(problem)" }
    }

    static let schema = ParquetSchema(FlowParquetEncoder.schema.fields.map { field in
        var optional = field
        optional.repetition = .optional
        return optional
    })

    private let options: ParquetWriterOptions

    init(level: Int) {
        options = ParquetWriterOptions(compression: .zstd, compressionLevel: level, rowGroupRows: .max, rowGroupBytes: .max, parallelism: 1)
    }

    func encode(_ ndjson: [UInt8]) throws(Failure) -> [UInt8] {
        let writer = ParquetFileWriter(schema: Self.schema, options: options)
        let c = writer.columns
        var out = WriteBuffer(capacity: max(ndjson.count / 4, 4096))
        writer.start(into: &out)
        var lineNumber = 0
        var start = 0
        while start < ndjson.count {
            let end = ndjson[start...].firstIndex(of: UInt8(ascii: "\n")) ?? ndjson.count
            defer { start = end + 1 }
            guard end > start else { continue }
            lineNumber += 1
            let object: [String: Any]
            do {
                guard let parsed = try JSONSerialization.jsonObject(with: Data(ndjson[start..<end])) as? [String: Any] else {
                    throw Failure(line: lineNumber, problem: "not a JSON object")
                }
                object = parsed
            } catch let failure as Failure {
                throw failure
            } catch {
                throw Failure(line: lineNumber, problem: "\(error)")
            }
            Self.append(object, to: c)
            writer.endRows(1, into: &out)
        }
        writer.finish(into: &out)
        return out.bytes
    }

    /// One record's values, column by column (in the flow schema's order).
    private static func append(_ r: [String: Any], to c: [ParquetColumnWriter]) {
        func int(_ value: Any?) -> Int64? { (value as? NSNumber).map { $0.int64Value } }
        func string(_ column: ParquetColumnWriter, _ value: Any?) {
            if let text = value as? String { column.append(text) } else { column.appendNull() }
        }
        func list(_ column: ParquetColumnWriter, _ value: Any?) {
            guard let items = value as? [Any] else { return column.appendNull(definition: 0) }
            guard !items.isEmpty else { return column.appendNull(definition: 1) }
            for (i, item) in items.enumerated() { column.append(item as? String ?? "\(item)", repetition: i == 0 ? 0 : 1) }
        }
        if let end = int(r["end_ms"]) { c[0].append(end) } else if let ts = int(r["timestamp"]) { c[0].append(ts &* 1000) } else { c[0].appendNull() }
        string(c[1], r["event_id"])
        string(c[2], r["src_ip"])
        string(c[3], r["dst_ip"])
        for (index, key) in [(4, "src_port"), (5, "dst_port")] {
            if let v = int(r[key]) { c[index].append(Int32(truncatingIfNeeded: v)) } else { c[index].appendNull() }
        }
        string(c[6], r["protocol"])
        for (index, key) in [(7, "bytes_sent"), (8, "bytes_received")] {
            if let v = int(r[key]) { c[index].append(v) } else { c[index].appendNull() }
        }
        for (index, key) in [(9, "latency_ms"), (10, "packets_sent")] {
            if let v = int(r[key]) { c[index].append(Int32(truncatingIfNeeded: v)) } else { c[index].appendNull() }
        }
        list(c[11], r["flags"])
        if let app = r["app_layer"] as? [String: Any] {
            c[12].append(app["protocol"] as? String ?? "")
            c[13].append(app["method"] as? String ?? "")
            c[14].append(app["host"] as? String ?? "")
            c[15].append(Int32(truncatingIfNeeded: int(app["status_code"]) ?? 0))
        } else {
            for i in 12...15 { c[i].appendNull() }
        }
        if let tags = r["tags"] as? [String: Any] {
            c[16].append(tags["env"] as? String ?? "")
            c[17].append(tags["region"] as? String ?? "")
            c[18].append(tags["security_group"] as? String ?? "")
            for (index, key) in [(19, "vpc_id"), (20, "account_id")] {
                if let text = tags[key] as? String { c[index].append(text) } else { c[index].appendNull(definition: 1) }
            }
        } else {
            for i in 16...20 { c[i].appendNull() }
        }
        if let v = int(r["packets_received"]) { c[21].append(Int32(truncatingIfNeeded: v)) } else { c[21].appendNull() }
        for (index, key) in [(22, "start_ms"), (23, "end_ms"), (24, "session_id")] {
            if let v = int(r[key]) { c[index].append(v) } else { c[index].appendNull() }
        }
        string(c[25], r["label"])
        list(c[26], r["anomalies"])
        string(c[27], r["malformed_kind"])
        string(c[28], r["generator_id"])
        if let seq = int(r["seq"]) { c[29].append(seq) } else { c[29].appendNull() }
        string(c[30], r["incident_id"])
        string(c[31], r["technique"])
        string(c[32], r["stage"])
    }
}
