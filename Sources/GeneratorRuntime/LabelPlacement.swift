/// Where the ground truth of flow records goes (`--labels`).
public enum LabelPlacement: String, Sendable, CaseIterable {
    /// In the records (`label`, `anomalies`, `malformed_kind`, `incident_id`, `technique`, `stage`).
    case inline
    /// In a file of its own that maps each record to its labels; the records carry none.
    case sidecar
    /// Nowhere: the records carry none (a detector under test cannot peek).
    case none

    /// Whether records carry their labels.
    public var inRecords: Bool { self == .inline }
}
