import TelemetryModel

/// Writes the ground truth of flow records apart from them (`--labels sidecar`): one JSON line per
/// record with what joins it to the record in every format (`event_id` and `seq` for JSON, CSV and
/// Parquet; the 5-tuple and the record's times for VPC flow logs), then `label`, `anomalies`,
/// `malformed_kind` (malformed records only) and `incident_id`, `technique`, `stage` (records an
/// incident produced only), as the records would carry them inline.
public struct FlowLabelsEncoder: Sendable {
    /// An upper bound on one line.
    public static let maxLineBytes = 512 + FlowJSONKeys.slotBytes
    /// Every field's key.
    let keys = FlowJSONKeys()

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
        keys.write(&p, .eventID, first: true)
        ByteWriting.byte(&p, UInt8(ascii: "\""))
        ByteWriting.uuid(&p, high: e.eventID.high, low: e.eventID.low)
        ByteWriting.byte(&p, UInt8(ascii: "\""))
        keys.write(&p, .seq)
        ByteWriting.signed(&p, e.seq)
        keys.write(&p, .sessionID)
        ByteWriting.signed(&p, e.sessionID)
        keys.write(&p, .srcIP)
        ByteWriting.byte(&p, UInt8(ascii: "\""))
        ByteWriting.ipv4(&p, e.srcIP.value)
        ByteWriting.byte(&p, UInt8(ascii: "\""))
        keys.write(&p, .srcPort)
        ByteWriting.signed(&p, Int64(e.srcPort))
        keys.write(&p, .dstIP)
        ByteWriting.byte(&p, UInt8(ascii: "\""))
        ByteWriting.ipv4(&p, e.dstIP.value)
        ByteWriting.byte(&p, UInt8(ascii: "\""))
        keys.write(&p, .dstPort)
        ByteWriting.signed(&p, Int64(e.dstPort))
        keys.write(&p, .transport)
        ByteWriting.byte(&p, UInt8(ascii: "\""))
        ByteWriting.literal(&p, e.transport.staticName)
        ByteWriting.byte(&p, UInt8(ascii: "\""))
        keys.write(&p, .startMs)
        ByteWriting.signed(&p, e.startMs)
        keys.write(&p, .endMs)
        ByteWriting.signed(&p, e.endMs)
        IncidentFields.writeFlowTruthJSON(&p, e, keys: keys)
        ByteWriting.literal(&p, "}\n")
    }
}
