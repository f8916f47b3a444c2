/// The transport protocol of a flow.
public enum TransportProtocol: UInt8, Sendable, BitwiseCopyable, CaseIterable, Hashable {
    case tcp = 6
    case udp = 17
    case icmp = 1

    /// The name written in `protocol` (`TCP`, `UDP`, `ICMP`).
    @inlinable public var staticName: StaticString {
        switch self {
        case .tcp: "TCP"
        case .udp: "UDP"
        case .icmp: "ICMP"
        }
    }

    /// The wire name as a `String`.
    public var name: String { staticName.description }

    /// The IANA protocol number (as VPC flow logs write it).
    public var ianaNumber: Int { Int(rawValue) }

    /// Parses `tcp`, `udp` or `icmp` in any case.
    public init?(name: String) {
        switch name.lowercased() {
        case "tcp": self = .tcp
        case "udp": self = .udp
        case "icmp": self = .icmp
        default: return nil
        }
    }
}
