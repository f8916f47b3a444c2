/// The fields a switch record may have, in the order our generator writes them: the switch-metrics
/// generator's five, the interface counters, the ground truth and the lineage (`anomalies`,
/// `generator_id` and `seq` are accepted and not kept). Anything else is an unknown field.
enum ReportField: Int, CaseIterable, Sendable {
    case timestamp, switchID, bandwidthMbps, latencyMs, packetErrors, linkSpeedMbps, utilizationPct, drops, crcErrors, operStatus, label
    case anomalies, generatorID, seq

    var name: String { Self.names[rawValue] }

    /// The names, in the order of the cases (compared in place by the JSON reader).
    static let staticNames: [StaticString] = [
        "timestamp", "switch_id", "bandwidth_mbps", "latency_ms", "packet_errors", "link_speed_mbps", "utilization_pct", "drops",
        "crc_errors", "oper_status", "label", "anomalies", "generator_id", "seq",
    ]
    static let names = staticNames.map(\.description)
    static let byName: [String: ReportField] = Dictionary(uniqueKeysWithValues: allCases.map { ($0.name, $0) })

    /// The fields every record needs.
    static let required: [ReportField] = [.timestamp, .switchID, .bandwidthMbps, .latencyMs, .packetErrors]

    /// What the value must be.
    enum Kind { case integer, number, string, strings }

    var kind: Kind {
        switch self {
        case .timestamp, .packetErrors, .linkSpeedMbps, .drops, .crcErrors, .seq: .integer
        case .bandwidthMbps, .latencyMs, .utilizationPct: .number
        case .switchID, .operStatus, .label, .generatorID: .string
        case .anomalies: .strings
        }
    }

    var bit: UInt16 { 1 << UInt16(rawValue) }
}
