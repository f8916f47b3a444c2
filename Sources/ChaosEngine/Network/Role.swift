import TelemetryModel

/// A compiled role: its hosts (a contiguous range of ``Topology/hosts``), curve and ports.
public struct Role: Sendable {
    /// Why a role exists: declared, or added for the anomalies and the background noise.
    public enum Purpose: Sendable, Hashable {
        case declared, exfiltrationTargets, scanSources, noiseSources
    }

    public var name: String
    public var kind: RoleKind
    public var purpose: Purpose
    /// Index into ``Topology/vpcs`` of an internal role.
    public var vpc: Int?
    public var hosts: Range<Int>
    /// The curve of the sessions its hosts start.
    public var curve: LoadCurve
    public var serves: [ServiceEndpoint]
    /// Names of its hosts: internal hosts are `names[0]-<n>.<domain>`; external hosts take
    /// `names[(n - 1) % names.count]`.
    public var names: [String]
    /// Written as `sg-%06d` (internal roles).
    public var securityGroup: UInt32
    /// Zipf exponent of its hosts' activity as clients.
    public var activity: Double
    /// Which of its hosts receives a session, by the kind's server skew.
    public var serverTable: AliasTable

    public var isInternal: Bool { vpc != nil }
}
