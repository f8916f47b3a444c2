import Foundation
import TelemetryModel

/// One entry of a scenario timeline: an attack family, who does it to whom, when, for how long,
/// how hard, and how often it comes back. Each occurrence is one incident of the incident table.
public struct ScenarioEntry: Sendable, Hashable {
    /// Where an incident comes from or goes to.
    public enum Place: Sendable, Hashable, CustomStringConvertible {
        /// One host of the network.
        case address(IPv4Address)
        /// The hosts of the network inside a CIDR network.
        case network(IPv4Network)
        /// The hosts of a role (by name).
        case role(String)
        /// Internal hosts: as a source, a workstation or server that could be compromised; as a
        /// target, a server.
        case randomInternal
        /// Outside hosts: as a source, an internet host; as a target, a rarely seen outside host.
        case randomExternal

        public var description: String {
            switch self {
            case .address(let address): address.description
            case .network(let network): network.description
            case .role(let name): "role:" + name
            case .randomInternal: "random internal host"
            case .randomExternal: "random external host"
            }
        }

        /// Parses `10.0.1.5`, `10.0.1.0/24`, `role:web` (or a role's name), `random internal host`,
        /// `random external host`.
        public init?(_ text: String) {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            let lower = trimmed.lowercased()
            if lower == "random internal host" || lower == "internal" {
                self = .randomInternal
            } else if lower == "random external host" || lower == "external" {
                self = .randomExternal
            } else if trimmed.contains("/"), let network = IPv4Network(trimmed) {
                self = .network(network)
            } else if let address = IPv4Address(trimmed) {
                self = .address(address)
            } else if lower.hasPrefix("role:") {
                let name = String(trimmed.dropFirst(5)).trimmingCharacters(in: .whitespaces)
                guard !name.isEmpty else { return nil }
                self = .role(name)
            } else if !trimmed.isEmpty && trimmed.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) {
                self = .role(trimmed)
            } else {
                return nil
            }
        }
    }

    /// How a scan probes.
    public enum ScanMethod: String, Sendable, Hashable, CaseIterable {
        /// Half-open: a raw SYN, RST after a SYN-ACK (`nmap -sS`).
        case syn
        /// The operating system's connect() (`nmap -sT`).
        case connect
        /// UDP datagrams (`nmap -sU`).
        case udp
    }

    /// A name for the entry (shown in logs; the incident table names incidents by id).
    public var name: String?
    public var family: IncidentFamily
    public var source: Place
    public var target: Place
    /// The first occurrence: milliseconds after the run's start, or a Unix time in milliseconds.
    public var startOffsetMs: Int64?
    public var startAtMs: Int64?
    public var durationMs: Int64
    /// How hard, in the family's unit (see ``defaultIntensity``); nil for the family's default.
    public var intensity: Double?
    /// Repetition: a fixed period, or a mean number of occurrences per day (Poisson); neither: once.
    public var everyMs: Int64?
    public var perDay: Double?
    /// Scans, brute force, lateral movement, DDoS: the ports (nil for the family's).
    public var ports: [UInt16]?
    /// Scans: how they probe, and nmap's timing template 0-5 (paranoid to insane).
    public var method: ScanMethod
    public var timing: Int
    /// Beaconing: the period between two calls, and the jitter as a share of it (0-0.9).
    public var periodMs: Int64
    public var jitter: Double
    /// DDoS and brute force: how many sources take part.
    public var sources: Int

    public init(family: IncidentFamily, source: Place, target: Place, startOffsetMs: Int64? = 0, startAtMs: Int64? = nil, durationMs: Int64,
                intensity: Double? = nil, everyMs: Int64? = nil, perDay: Double? = nil, ports: [UInt16]? = nil, method: ScanMethod = .syn,
                timing: Int = 3, periodMs: Int64 = 60_000, jitter: Double = 0.1, sources: Int? = nil, name: String? = nil) {
        self.family = family
        self.source = source
        self.target = target
        self.startOffsetMs = startAtMs == nil ? (startOffsetMs ?? 0) : nil
        self.startAtMs = startAtMs
        self.durationMs = durationMs
        self.intensity = intensity
        self.everyMs = everyMs
        self.perDay = perDay
        self.ports = ports
        self.method = method
        self.timing = timing
        self.periodMs = periodMs
        self.jitter = jitter
        self.sources = sources ?? (family == .ddos ? 500 : 1)
        self.name = name
    }

    /// The families a scenario can run.
    public static let families: [IncidentFamily] = [.portScan, .exfiltration, .dnsTunnel, .beaconing, .bruteForce, .ddos, .lateralMovement,
                                                    .serviceDegradation, .serviceFailure]

    /// What `intensity` means for each family, and its default.
    public static func intensityUnit(_ family: IncidentFamily) -> (unit: String, defaultValue: Double) {
        switch family {
        case .portScan: ("probes per second (default: the timing template's)", 0)
        case .exfiltration: ("bytes per second uploaded, bounded by the links", 400_000)
        case .dnsTunnel: ("queries per second", 8)
        case .beaconing: ("calls per period (1)", 1)
        case .bruteForce: ("login attempts per second over all sources", 2)
        case .ddos: ("SYN packets per second over all sources", 50_000)
        case .lateralMovement: ("connection attempts per minute", 6)
        case .serviceDegradation: ("times slower it answers (the median of its sessions')", 6)
        case .serviceFailure: ("share of its sessions that fail, up to 1", 0.5)
        default: ("", 0)
        }
    }

    /// Milliseconds between two probes of nmap's timing templates T0-T5 (T3 and up are parallel:
    /// the mean gap between probes leaving the scanner).
    public static let timingSpacingMs: [Double] = [300_000, 15_000, 400, 4, 1, 0.3]

    /// The entry's mean gap between two records of an incident, milliseconds.
    public var spacingMs: Double {
        let intensity = intensity ?? Self.intensityUnit(family).defaultValue
        switch family {
        case .portScan: return intensity > 0 ? 1_000 / intensity : Self.timingSpacingMs[timing]
        case .bruteForce: return 1_000 / intensity
        case .lateralMovement: return 60_000 / intensity
        case .beaconing: return Double(periodMs) / max(intensity, 1e-9)
        default: return 1_000
        }
    }
}
