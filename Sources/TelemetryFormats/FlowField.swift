import TelemetryModel

/// The fields of the Go producer's flow event, in their order, as malformations address them.
public enum FlowField: Int, Sendable, CaseIterable {
    case timestamp, eventID, srcIP, dstIP, srcPort, dstPort, transport, bytesSent, bytesReceived
    case latencyMs, packetsSent, flags, appLayer, tags

    /// The JSON key.
    public var key: String {
        switch self {
        case .timestamp: "timestamp"
        case .eventID: "event_id"
        case .srcIP: "src_ip"
        case .dstIP: "dst_ip"
        case .srcPort: "src_port"
        case .dstPort: "dst_port"
        case .transport: "protocol"
        case .bytesSent: "bytes_sent"
        case .bytesReceived: "bytes_received"
        case .latencyMs: "latency_ms"
        case .packetsSent: "packets_sent"
        case .flags: "flags"
        case .appLayer: "app_layer"
        case .tags: "tags"
        }
    }
}

/// What a malformation does to which field, decided once per record from its ``Malformation``
/// so that every encoder breaks the same field in the same way.
public struct MalformationPlan: Sendable {
    /// Field written with the wrong type.
    public var wrongType: FlowField?
    /// Field left out.
    public var missing: FlowField?
    /// Field written with an out-of-range number.
    public var outOfRange: FlowField?
    /// Address field written with an invalid address, and which bad text.
    public var badIP: FlowField?
    public var badIPText: StaticString = ""
    /// Truncated records: the fraction of the record kept, in 1/65536ths.
    public var truncateAt: UInt32?

    static let wrongTypeFields: [FlowField] = [.timestamp, .srcPort, .dstPort, .bytesSent, .latencyMs, .transport, .flags]
    static let outOfRangeFields: [FlowField] = [.srcPort, .dstPort, .bytesSent, .bytesReceived, .latencyMs, .packetsSent]
    static let badIPTexts: [StaticString] = ["10.0.300.17", "192.168.1", "not-an-ip", "256.1.1.1", "10.0.0.1.5", ""]

    public init(_ malformation: Malformation?) {
        guard let malformation else { return }
        let v = Int(malformation.variant)
        switch malformation.kind {
        case .truncated: truncateAt = malformation.variant & 0xffff
        case .wrongType: wrongType = Self.wrongTypeFields[v % Self.wrongTypeFields.count]
        case .missingField: missing = FlowField.allCases[v % FlowField.allCases.count]
        case .outOfRange: outOfRange = Self.outOfRangeFields[v % Self.outOfRangeFields.count]
        case .badIP:
            badIP = (v >> 8) & 1 == 0 ? .srcIP : .dstIP
            badIPText = Self.badIPTexts[v % Self.badIPTexts.count]
        }
    }

    /// The out-of-range value written for a field: ports above 65535, negative counters.
    public func outOfRangeValue(_ field: FlowField, variant: UInt32) -> Int64 {
        switch field {
        case .srcPort, .dstPort: 65_536 + Int64(variant % 34_464)
        default: -1 - Int64(variant % 10_000)
        }
    }
}
