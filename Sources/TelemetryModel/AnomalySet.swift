/// The set of anomalies injected into one record (chaos kinds are drawn independently, so a record
/// may carry several).
public struct AnomalySet: OptionSet, Sendable, BitwiseCopyable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let latencySpike = AnomalySet(rawValue: 1 << AnomalyLabel.latencySpike.rawValue)
    public static let connectionReset = AnomalySet(rawValue: 1 << AnomalyLabel.connectionReset.rawValue)
    public static let exfiltration = AnomalySet(rawValue: 1 << AnomalyLabel.exfiltration.rawValue)
    public static let portScan = AnomalySet(rawValue: 1 << AnomalyLabel.portScan.rawValue)
    public static let beaconing = AnomalySet(rawValue: 1 << AnomalyLabel.beaconing.rawValue)
    public static let bruteForce = AnomalySet(rawValue: 1 << AnomalyLabel.bruteForce.rawValue)
    public static let ddos = AnomalySet(rawValue: 1 << AnomalyLabel.ddos.rawValue)
    public static let lateralMovement = AnomalySet(rawValue: 1 << AnomalyLabel.lateralMovement.rawValue)
    public static let malformed = AnomalySet(rawValue: 1 << AnomalyLabel.malformed.rawValue)
    public static let duplicateSettlement = AnomalySet(rawValue: 1 << AnomalyLabel.duplicateSettlement.rawValue)
    public static let currencyMismatch = AnomalySet(rawValue: 1 << AnomalyLabel.currencyMismatch.rawValue)
    public static let impossibleWinRatio = AnomalySet(rawValue: 1 << AnomalyLabel.impossibleWinRatio.rawValue)
    public static let linkFlap = AnomalySet(rawValue: 1 << AnomalyLabel.linkFlap.rawValue)
    public static let congestionSpike = AnomalySet(rawValue: 1 << AnomalyLabel.congestionSpike.rawValue)
    public static let errorBurst = AnomalySet(rawValue: 1 << AnomalyLabel.errorBurst.rawValue)
    public static let stale = AnomalySet(rawValue: 1 << AnomalyLabel.stale.rawValue)

    /// The set holding one label (empty for `.normal`).
    public init(_ label: AnomalyLabel) {
        self.rawValue = label == .normal ? 0 : 1 << label.rawValue
    }

    /// The label with the highest precedence, `.normal` when the set is empty.
    @inline(__always)
    public var primaryLabel: AnomalyLabel {
        guard rawValue != 0 else { return .normal }
        let highest = 31 - rawValue.leadingZeroBitCount
        return AnomalyLabel(rawValue: UInt8(highest)) ?? .normal
    }

    /// Members in ascending precedence (the order in which `anomalies` lists them).
    public var labels: [AnomalyLabel] {
        AnomalyLabel.allCases.filter { $0 != .normal && contains(AnomalySet($0)) }
    }
}
