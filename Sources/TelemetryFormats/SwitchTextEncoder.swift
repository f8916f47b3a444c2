import TelemetryModel

/// Writes switch snapshots as JSON lines or CSV rows: the Go switch generator's fields first (`timestamp`,
/// `switch_id`, `bandwidth_mbps`, `latency_ms`, `packet_errors`, in the order of its `/counters`
/// CSV), then the interface counters, the ground truth and the lineage.
public final class SwitchTextEncoder: Sendable {
    public enum Style: Sendable { case json, csv }

    public static let fields = [
        "timestamp", "switch_id", "bandwidth_mbps", "latency_ms", "packet_errors", "link_speed_mbps", "utilization_pct",
        "drops", "crc_errors", "oper_status", "label", "anomalies", "generator_id", "seq",
    ]

    public static var csvHeader: [UInt8] { Array((fields.joined(separator: ",") + "\n").utf8) }

    let style: Style
    let generatorID: StringTable
    public let maxRecordBytes: Int

    public init(generatorID: String, style: Style) {
        self.style = style
        self.generatorID = StringTable([generatorID], escape: style == .json ? StringTable.jsonEscaped : StringTable.csvField)
        maxRecordBytes = 600 + self.generatorID.maxLength
    }

    public func encode(_ records: UnsafePointer<SwitchSnapshot>, count: Int, into buffer: inout WriteBuffer, recordEnds: UnsafeMutablePointer<Int>) {
        buffer.reserve(count * maxRecordBytes)
        let base = buffer.base
        buffer.withWriter { start in
            var p = start
            for i in 0..<count {
                write(&p, records[i])
                recordEnds[i] = p - base
            }
            return p
        }
    }

    @inline(__always)
    private func write(_ p: inout UnsafeMutablePointer<UInt8>, _ r: SwitchSnapshot) {
        let json = style == .json
        @inline(__always) func field(_ name: StaticString, first: Bool = false) {
            if json {
                ByteWriting.literal(&p, first ? "{\"" : ",\"")
                ByteWriting.literal(&p, name)
                ByteWriting.literal(&p, "\":")
            } else if !first {
                ByteWriting.byte(&p, UInt8(ascii: ","))
            }
        }
        field("timestamp", first: true)
        ByteWriting.signed(&p, r.timestamp)
        field("switch_id")
        if json { ByteWriting.byte(&p, UInt8(ascii: "\"")) }
        ByteWriting.literal(&p, "sw")
        ByteWriting.signed(&p, Int64(r.switchNumber))
        if json { ByteWriting.byte(&p, UInt8(ascii: "\"")) }
        field("bandwidth_mbps")
        ByteWriting.centi(&p, r.bandwidthCenti)
        field("latency_ms")
        ByteWriting.centi(&p, r.latencyCenti)
        field("packet_errors")
        ByteWriting.signed(&p, r.packetErrors)
        field("link_speed_mbps")
        ByteWriting.signed(&p, Int64(r.linkSpeedMbps))
        field("utilization_pct")
        ByteWriting.centi(&p, r.utilizationCenti)
        field("drops")
        ByteWriting.signed(&p, r.drops)
        field("crc_errors")
        ByteWriting.signed(&p, r.crcErrors)
        field("oper_status")
        if json {
            ByteWriting.literal(&p, r.operUp ? "\"up\"" : "\"down\"")
        } else {
            ByteWriting.literal(&p, r.operUp ? "up" : "down")
        }
        GroundTruthFields.write(&p, anomalies: r.anomalies, generatorID: generatorID, seq: r.seq, json: json)
    }
}

extension ByteWriting {
    /// Hundredths as a decimal with two places (`1234.50`, `-0.05`).
    @inline(__always)
    public static func centi(_ p: inout UnsafeMutablePointer<UInt8>, _ value: Int64) {
        if value < 0 { byte(&p, UInt8(ascii: "-")) }
        let magnitude = value.magnitude
        unsigned(&p, magnitude / 100)
        byte(&p, UInt8(ascii: "."))
        zeroPadded(&p, UInt32(magnitude % 100), width: 2)
    }
}
