import TelemetryModel

/// Writes switch snapshots as a Parquet file: `timestamp` as a UTC timestamp (milliseconds, the
/// JSON's seconds times 1000), the decimal metrics as `DOUBLE` (equal to the JSON's two-decimal
/// values), counters as `INT64`, `oper_status` as a `BOOLEAN` `oper_up`, names dictionary-encoded.
/// Used by one thread at a time (it spreads columns over threads).
public final class SwitchParquetEncoder: Sendable {
    public static let schema = ParquetSchema([
        .int64("timestamp", .required, .timestampMillis),
        .string("switch_id", .required, dictionary: true),
        .double("bandwidth_mbps", .required),
        .double("latency_ms", .required),
        .int64("packet_errors", .required),
        .int32("link_speed_mbps", .required, dictionary: true),
        .double("utilization_pct", .required),
        .int64("drops", .required),
        .int64("crc_errors", .required),
        .boolean("oper_up", .required),
        .string("label", .required, dictionary: true),
        .stringList("anomalies", .required),
        .string("generator_id", .required, dictionary: true),
        .int64("seq", .required),
    ])

    public let writer: ParquetFileWriter
    private let generatorID: String
    private let c: [ParquetColumnWriter]

    public init(generatorID: String, options: ParquetWriterOptions) {
        self.generatorID = generatorID
        writer = ParquetFileWriter(schema: Self.schema, options: options)
        c = writer.columns
    }

    /// Appends `count` records; full row groups are written to `out`.
    public func append(_ records: UnsafePointer<SwitchSnapshot>, count: Int, into out: inout WriteBuffer) {
        writer.append(records, count: count, into: &out) { encodeColumn($0, $1) }
    }

    /// Writes the last row group and the footer.
    public func finish(into out: inout WriteBuffer) { writer.finish(into: &out) }

    private func encodeColumn(_ index: Int, _ records: UnsafeBufferPointer<SwitchSnapshot>) {
        @inline(__always) func int64(_ value: (SwitchSnapshot) -> Int64) {
            c[index].batch { s in for r in records { s.append(value(r)) } }
        }
        @inline(__always) func decimal(_ value: (SwitchSnapshot) -> Int64) {
            c[index].batch { s in for r in records { s.append(Double(value(r)) / 100) } }
        }
        switch index {
        case 0: int64 { $0.timestamp * 1000 }
        case 1:
            c[1].batch { s in
                for r in records {
                    s.append(key: UInt64(r.switchNumber)) { $0.append("sw\(r.switchNumber)") }
                }
            }
        case 2: decimal { $0.bandwidthCenti }
        case 3: decimal { $0.latencyCenti }
        case 4: int64 { $0.packetErrors }
        case 5: c[5].batch { s in for r in records { s.append(Int32(r.linkSpeedMbps)) } }
        case 6: decimal { $0.utilizationCenti }
        case 7: int64 { $0.drops }
        case 8: int64 { $0.crcErrors }
        case 9: c[9].batch { s in for r in records { s.append(r.operUp) } }
        case 10:
            c[10].batch { s in
                for r in records {
                    let label = r.anomalies.primaryLabel
                    s.append(key: UInt64(label.rawValue)) { $0.append(label.staticName) }
                }
            }
        case 11: c[11].batch { s in for r in records { s.appendAnomalies(r.anomalies) } }
        case 12:
            let generatorID = generatorID
            c[12].batch { s in for _ in records { s.append(key: 0) { $0.append(generatorID) } } }
        case 13: int64 { $0.seq }
        default:
            preconditionFailure("switch schema has no column \(index)")
        }
    }
}
