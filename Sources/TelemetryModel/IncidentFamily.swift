/// What kind of incident produced a record: an attack family or an operational incident of a
/// service. Each names the MITRE ATT&CK technique it stands for (none for operational incidents)
/// and the stage of an intrusion it belongs to (the ATT&CK tactic; for a service, its state).
public enum IncidentFamily: UInt8, Sendable, CaseIterable, Hashable {
    case none = 0
    /// A server answering every session slower for a window of minutes (`latency_spike`).
    case serviceDegradation = 1
    /// A server failing a share of its sessions for a window of minutes (`connection_reset`).
    case serviceFailure = 2
    /// Probes of many ports of one host from an outside scanner (`port_scan`).
    case portScan = 3
    /// A long upload over HTTPS to a rarely seen outside host (`exfiltration`).
    case exfiltration = 4
    /// Data carried out in DNS queries to one domain through the resolver (`exfiltration`).
    case dnsTunnel = 5
    /// One internal host calling an outside host at a period, with jitter (`beaconing`).
    case beaconing = 6
    /// Many short authentication sessions to SSH or RDP, nearly all failing (`brute_force`).
    case bruteForce = 7
    /// A SYN flood toward one service from many sources (`ddos`).
    case ddos = 8
    /// One compromised host connecting to many internal hosts on SMB, RDP, SSH, WinRM (`lateral_movement`).
    case lateralMovement = 9

    /// The wire name (`family` in the incident table).
    public var staticName: StaticString {
        switch self {
        case .none: "none"
        case .serviceDegradation: "service_degradation"
        case .serviceFailure: "service_failure"
        case .portScan: "port_scan"
        case .exfiltration: "exfiltration"
        case .dnsTunnel: "dns_tunnel"
        case .beaconing: "beaconing"
        case .bruteForce: "brute_force"
        case .ddos: "ddos"
        case .lateralMovement: "lateral_movement"
        }
    }

    /// An operational incident of a service (degraded or failing), not an attack.
    public var isService: Bool { self == .serviceDegradation || self == .serviceFailure }

    /// The MITRE ATT&CK technique id (`technique`); nil for operational incidents.
    public var technique: StaticString? {
        switch self {
        case .none, .serviceDegradation, .serviceFailure: nil
        case .portScan: "T1046"
        case .exfiltration: "T1048"
        case .dnsTunnel: "T1071.004"
        case .beaconing: "T1071.001"
        case .bruteForce: "T1110"
        case .ddos: "T1498"
        case .lateralMovement: "T1021"
        }
    }

    /// The stage (`stage`): the ATT&CK tactic of an attack, `degraded` or `failing` for a service.
    public var stage: StaticString {
        switch self {
        case .none: "none"
        case .serviceDegradation: "degraded"
        case .serviceFailure: "failing"
        case .portScan: "discovery"
        case .exfiltration, .dnsTunnel: "exfiltration"
        case .beaconing: "command-and-control"
        case .bruteForce: "credential-access"
        case .ddos: "impact"
        case .lateralMovement: "lateral-movement"
        }
    }

    /// The label its records carry.
    public var label: AnomalyLabel {
        switch self {
        case .none: .normal
        case .serviceDegradation: .latencySpike
        case .serviceFailure: .connectionReset
        case .portScan: .portScan
        case .exfiltration, .dnsTunnel: .exfiltration
        case .beaconing: .beaconing
        case .bruteForce: .bruteForce
        case .ddos: .ddos
        case .lateralMovement: .lateralMovement
        }
    }

    public var name: String { staticName.description }

    /// Every technique id and stage a record may carry (what a validator accepts).
    public static let techniques: [String] = Array(Set(allCases.compactMap { $0.technique?.description })).sorted()
    public static let stages: [String] = Array(Set(allCases.filter { $0 != .none }.map { $0.stage.description })).sorted()

    /// Parses a wire name.
    public init?(name: String) {
        guard let family = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = family
    }
}
