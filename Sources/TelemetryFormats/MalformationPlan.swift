import TelemetryModel

/// What a malformation does to which field, decided once per record from its ``Malformation``
/// so that every encoder breaks the same field in the same way.
public struct MalformationPlan: Sendable {
    /// Field written with the wrong type.
    public var wrongType: FlowRecordField?
    /// Field left out.
    public var missing: FlowRecordField?
    /// Field written with an out-of-range number.
    public var outOfRange: FlowRecordField?
    /// Address field written with an invalid address, and which bad text.
    public var badIP: FlowRecordField?
    public var badIPText: StaticString = ""
    /// Truncated records: the fraction of the record kept, in 1/65536ths.
    public var truncateAt: UInt32?

    static let wrongTypeFields: [FlowRecordField] = [.timestamp, .srcPort, .dstPort, .bytesSent, .latencyMs, .transport, .flags]
    static let outOfRangeFields: [FlowRecordField] = [.srcPort, .dstPort, .bytesSent, .bytesReceived, .latencyMs, .packetsSent]
    static let badIPTexts: [StaticString] = ["10.0.300.17", "192.168.1", "not-an-ip", "256.1.1.1", "10.0.0.1.5", ""]

    public init(_ malformation: Malformation?) {
        guard let malformation else { return }
        let v = Int(malformation.variant)
        switch malformation.kind {
        case .truncated: truncateAt = malformation.variant & 0xffff
        case .wrongType: wrongType = Self.wrongTypeFields[v % Self.wrongTypeFields.count]
        case .missingField: missing = FlowRecordField.producerFields[v % FlowRecordField.producerFields.count]
        case .outOfRange: outOfRange = Self.outOfRangeFields[v % Self.outOfRangeFields.count]
        case .badIP:
            badIP = (v >> 8) & 1 == 0 ? .srcIP : .dstIP
            badIPText = Self.badIPTexts[v % Self.badIPTexts.count]
        }
    }

    /// The out-of-range value written for a field: ports above 65535, negative counters.
    public func outOfRangeValue(_ field: FlowRecordField, variant: UInt32) -> Int64 {
        switch field {
        case .srcPort, .dstPort: 65_536 + Int64(variant % 34_464)
        default: -1 - Int64(variant % 10_000)
        }
    }
}
