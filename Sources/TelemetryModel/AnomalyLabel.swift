/// The ground-truth label of one record.
///
/// Every generated record carries exactly one primary label (`label` in JSON) and the full set of
/// anomalies that were injected into it (`anomalies`). Labels are ordered by precedence: when several
/// anomalies hit one record, the label is the one with the highest precedence.
public enum AnomalyLabel: UInt8, Sendable, CaseIterable, Hashable, Comparable {
    case normal = 0
    case latencySpike = 1
    case connectionReset = 2
    case exfiltration = 3
    case portScan = 4
    case beaconing = 5
    case bruteForce = 6
    case ddos = 7
    case lateralMovement = 8
    case malformed = 9
    // Transactions (fraud-style chaos).
    case duplicateSettlement = 10
    case currencyMismatch = 11
    case impossibleWinRatio = 12
    // Switch metrics.
    case linkFlap = 13
    case congestionSpike = 14
    case errorBurst = 15
    case stale = 16

    /// The wire name, as written in `label` and `anomalies`.
    @inlinable public var staticName: StaticString {
        switch self {
        case .normal: "normal"
        case .latencySpike: "latency_spike"
        case .connectionReset: "connection_reset"
        case .exfiltration: "exfiltration"
        case .portScan: "port_scan"
        case .beaconing: "beaconing"
        case .bruteForce: "brute_force"
        case .ddos: "ddos"
        case .lateralMovement: "lateral_movement"
        case .malformed: "malformed"
        case .duplicateSettlement: "duplicate_settlement"
        case .currencyMismatch: "currency_mismatch"
        case .impossibleWinRatio: "impossible_win_ratio"
        case .linkFlap: "link_flap"
        case .congestionSpike: "congestion_spike"
        case .errorBurst: "error_burst"
        case .stale: "stale"
        }
    }

    /// The labels of flow events.
    public static let flowLabels: [AnomalyLabel] = [
        .normal, .latencySpike, .connectionReset, .exfiltration, .portScan, .beaconing, .bruteForce, .ddos, .lateralMovement, .malformed,
    ]
    /// The labels of transactions.
    public static let transactionLabels: [AnomalyLabel] = [.normal, .duplicateSettlement, .currencyMismatch, .impossibleWinRatio]
    /// The labels of switch metrics.
    public static let switchLabels: [AnomalyLabel] = [.normal, .linkFlap, .congestionSpike, .errorBurst, .stale]

    /// The wire name as a `String`.
    public var name: String { staticName.description }

    /// Parses a wire name.
    public init?(name: String) {
        guard let label = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = label
    }

    public static func < (lhs: AnomalyLabel, rhs: AnomalyLabel) -> Bool { lhs.rawValue < rhs.rawValue }
}
