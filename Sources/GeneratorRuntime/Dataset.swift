import TelemetryModel

/// What `netchaos generate` makes.
public enum Dataset: String, Sendable, Hashable, CaseIterable {
    /// Flow events (VPC flow / firewall style) with network chaos.
    case flow
    /// Settled bets (the message producer's transactions) with fraud-style chaos.
    case transactions
    /// Switch metrics (the Go switch generator's) with network-operations chaos.
    case switches = "switch"

    public static let allowedNames = "flow, transactions, switch"

    /// Parses a dataset name (`flows`, `transaction`, `txn` accepted).
    public init?(name: String) {
        switch name.lowercased() {
        case "flow", "flows": self = .flow
        case "transactions", "transaction", "txn": self = .transactions
        case "switch", "switches", "switch_metrics": self = .switches
        default: return nil
        }
    }

    /// The labels its records can carry.
    public var labels: [AnomalyLabel] {
        switch self {
        case .flow: AnomalyLabel.flowLabels
        case .transactions: AnomalyLabel.transactionLabels
        case .switches: AnomalyLabel.switchLabels
        }
    }

    /// Whether records of this dataset can be written in `format`.
    public func supports(_ format: OutputFormat) -> Bool {
        self == .flow || ![.vpc, .zeek, .zeekJSON, .cef, .pcap].contains(format)
    }
}
