import TelemetryModel

/// Writes the ground truth of flow records apart from them (`--labels sidecar`): one JSON line per
/// record with what joins it to the record in every format (`event_id` and `seq` for JSON, CSV and
/// Parquet; the 5-tuple and the record's times for VPC flow logs), then `label`, `anomalies`,
/// `malformed_kind` (malformed records only) and `incident_id`, `technique`, `stage` (records an
/// incident produced only), as the records would carry them inline.
public struct FlowLabelsEncoder: Sendable {
    /// An upper bound on one line.
    public static let maxLineBytes = 512

    public init() {}

    /// Appends the lines of `count` events.
    public func encode(_ events: UnsafePointer<FlowEvent>, count: Int, into buffer: inout WriteBuffer) {
        buffer.reserve(count * Self.maxLineBytes)
        buffer.withWriter { start in
            var p = start
            for i in 0..<count { write(&p, events[i]) }
            return p
        }
    }

    @inline(__always)
    func write(_ p: inout UnsafeMutablePointer<UInt8>, _ e: FlowEvent) {
        ByteWriting.literal(&p, "{\"event_id\":\"")
        ByteWriting.uuid(&p, high: e.eventID.high, low: e.eventID.low)
        ByteWriting.literal(&p, "\",\"seq\":")
        ByteWriting.signed(&p, e.seq)
        ByteWriting.literal(&p, ",\"session_id\":")
        ByteWriting.signed(&p, e.sessionID)
        ByteWriting.literal(&p, ",\"src_ip\":\"")
        ByteWriting.ipv4(&p, e.srcIP.value)
        ByteWriting.literal(&p, "\",\"src_port\":")
        ByteWriting.signed(&p, Int64(e.srcPort))
        ByteWriting.literal(&p, ",\"dst_ip\":\"")
        ByteWriting.ipv4(&p, e.dstIP.value)
        ByteWriting.literal(&p, "\",\"dst_port\":")
        ByteWriting.signed(&p, Int64(e.dstPort))
        ByteWriting.literal(&p, ",\"protocol\":\"")
        ByteWriting.literal(&p, e.transport.staticName)
        ByteWriting.literal(&p, "\",\"start_ms\":")
        ByteWriting.signed(&p, e.startMs)
        ByteWriting.literal(&p, ",\"end_ms\":")
        ByteWriting.signed(&p, e.endMs)
        IncidentFields.writeFlowTruthJSON(&p, e)
        ByteWriting.literal(&p, "}\n")
    }
}
