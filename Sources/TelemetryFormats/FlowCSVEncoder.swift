import TelemetryModel

/// Writes flow events as CSV rows (RFC 4180): nested fields become dotted columns
/// (`app_layer.host`), lists are one quoted field joined by commas (`"ACK,PSH"`).
///
/// Malformed records: missing fields are empty cells, wrong types are text in a number column (or
/// a number in a text column), truncated rows stop before the first quoted column, so a broken row
/// never swallows the next one.
public final class FlowCSVEncoder: Sendable {
    /// One column per field that holds a value (``FlowRecordField/leaves``), named by its path.
    public static let columns = FlowRecordField.leaves.map(\.path)
    /// The ground-truth columns, left out without labels.
    public static let labelColumns = Set(FlowRecordField.leaves.filter(\.isGroundTruth).map(\.path))

    /// The columns with or without the ground truth.
    public static func columns(labels: Bool) -> [String] { labels ? columns : columns.filter { !labelColumns.contains($0) } }

    /// The header line, CRLF-free (`\n` line ends, as Python's csv module and pandas accept).
    public static func header(labels: Bool = true) -> [UInt8] { Array((columns(labels: labels).joined(separator: ",") + "\n").utf8) }

    let tables: VocabularyTables
    public let maxRecordBytes: Int
    /// Whether rows carry their ground truth.
    let labels: Bool

    public init(vocabulary: FlowVocabulary, labels: Bool = true) {
        self.labels = labels
        tables = VocabularyTables(vocabulary, name: StringTable.csvField, tags: { identity in
            Array(VocabularyTables.tagValues(identity).map { String(decoding: StringTable.csvField($0), as: UTF8.self) }.joined(separator: ",").utf8)
        }, escape: StringTable.csvField)
        maxRecordBytes = 700 + tables.maxRecordBytes
    }

    /// Appends `count` rows and stores, for each, the buffer offset just past its newline.
    public func encode(_ events: UnsafePointer<FlowEvent>, count: Int, into buffer: inout WriteBuffer, recordEnds: UnsafeMutablePointer<Int>) {
        buffer.reserve(count * maxRecordBytes)
        let base = buffer.base
        buffer.withWriter { start in
            var p = start
            for i in 0..<count {
                let rowStart = p
                let safeCut = write(&p, events[i])
                if let fraction = events[i].malformation.flatMap({ $0.kind == .truncated ? $0.variant & 0xffff : nil }) {
                    let limit = safeCut - rowStart
                    p = rowStart + min(limit, 8 + Int(fraction) * max(limit - 8, 0) / 65_536)
                    ByteWriting.byte(&p, UInt8(ascii: "\n"))
                }
                recordEnds[i] = p - base
            }
            return p
        }
    }

    /// One row, newline included; returns the position of the `flags` column (no quote before it).
    @inline(__always)
    func write(_ p: inout UnsafeMutablePointer<UInt8>, _ e: FlowEvent) -> UnsafeMutablePointer<UInt8> {
        let plan = MalformationPlan(e.malformation)
        let variant = e.malformation?.variant ?? 0
        let comma = UInt8(ascii: ",")
        @inline(__always) func number(_ field: FlowRecordField, _ value: Int64) {
            if plan.missing == field { return }
            if plan.outOfRange == field {
                ByteWriting.signed(&p, plan.outOfRangeValue(field, variant: variant))
            } else if plan.wrongType == field {
                ByteWriting.literal(&p, "n/a")
            } else {
                ByteWriting.signed(&p, value)
            }
        }
        @inline(__always) func address(_ field: FlowRecordField, _ value: IPv4Address) {
            if plan.missing == field { return }
            if plan.badIP == field { ByteWriting.literal(&p, plan.badIPText) } else { ByteWriting.ipv4(&p, value.value) }
        }
        number(.timestamp, e.timestamp)
        ByteWriting.byte(&p, comma)
        if plan.missing != .eventID { ByteWriting.uuid(&p, high: e.eventID.high, low: e.eventID.low) }
        ByteWriting.byte(&p, comma)
        address(.srcIP, e.srcIP)
        ByteWriting.byte(&p, comma)
        address(.dstIP, e.dstIP)
        ByteWriting.byte(&p, comma)
        number(.srcPort, Int64(e.srcPort))
        ByteWriting.byte(&p, comma)
        number(.dstPort, Int64(e.dstPort))
        ByteWriting.byte(&p, comma)
        if plan.wrongType == .transport {
            ByteWriting.unsigned(&p, UInt64(e.transport.rawValue))
        } else if plan.missing != .transport {
            ByteWriting.literal(&p, e.transport.staticName)
        }
        ByteWriting.byte(&p, comma)
        number(.bytesSent, e.bytesSent)
        ByteWriting.byte(&p, comma)
        number(.bytesReceived, e.bytesReceived)
        ByteWriting.byte(&p, comma)
        number(.latencyMs, Int64(e.latencyMs))
        ByteWriting.byte(&p, comma)
        number(.packetsSent, Int64(e.packetsSent))
        ByteWriting.byte(&p, comma)
        let flagsColumn = p
        if plan.wrongType == .flags {
            ByteWriting.unsigned(&p, UInt64(e.flags.rawValue))
        } else if plan.missing != .flags {
            let quoted = e.flags.rawValue & (e.flags.rawValue &- 1) != 0
            if quoted { ByteWriting.byte(&p, UInt8(ascii: "\"")) }
            WireNames.flags(&p, e.flags, quote: false, separator: comma)
            if quoted { ByteWriting.byte(&p, UInt8(ascii: "\"")) }
        }
        ByteWriting.byte(&p, comma)
        if plan.missing == .appLayer {
            ByteWriting.literal(&p, ",,,")
        } else {
            ByteWriting.literal(&p, e.appProtocol.staticName)
            ByteWriting.byte(&p, comma)
            ByteWriting.literal(&p, e.appMethod.staticName)
            ByteWriting.byte(&p, comma)
            tables.writeName(&p, e)
            ByteWriting.byte(&p, comma)
            ByteWriting.signed(&p, Int64(e.statusCode))
        }
        ByteWriting.byte(&p, comma)
        if plan.missing == .tags {
            ByteWriting.literal(&p, ",,,,")
        } else {
            tables.writeTags(&p, e)
        }
        ByteWriting.byte(&p, comma)
        ByteWriting.signed(&p, Int64(e.packetsReceived))
        ByteWriting.byte(&p, comma)
        ByteWriting.signed(&p, e.startMs)
        ByteWriting.byte(&p, comma)
        ByteWriting.signed(&p, e.endMs)
        ByteWriting.byte(&p, comma)
        ByteWriting.signed(&p, e.sessionID)
        ByteWriting.byte(&p, comma)
        if labels {
            ByteWriting.literal(&p, e.anomalies.primaryLabel.staticName)
            ByteWriting.byte(&p, comma)
            let several = e.anomalies.rawValue & (e.anomalies.rawValue &- 1) != 0
            if several { ByteWriting.byte(&p, UInt8(ascii: "\"")) }
            WireNames.anomalies(&p, e.anomalies, quote: false, separator: comma)
            if several { ByteWriting.byte(&p, UInt8(ascii: "\"")) }
            ByteWriting.byte(&p, comma)
            if let malformation = e.malformation { ByteWriting.literal(&p, malformation.kind.staticName) }
            ByteWriting.byte(&p, comma)
            IncidentFields.writeCSV(&p, e.incident)
        }
        tables.generatorID.write(&p, 0)
        ByteWriting.byte(&p, comma)
        ByteWriting.signed(&p, e.seq)
        ByteWriting.byte(&p, UInt8(ascii: "\n"))
        return flagsColumn
    }
}
