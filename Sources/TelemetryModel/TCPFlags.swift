/// TCP flags seen on a flow. Written as a JSON array in a fixed order (`SYN`, `FIN`, `RST`, `ACK`,
/// `PSH`, `URG`), which reproduces the Go producer's `["SYN","ACK"]`, `["ACK","PSH"]`, `["RST","ACK"]`.
public struct TCPFlags: OptionSet, Sendable, BitwiseCopyable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let fin = TCPFlags(rawValue: 0x01)
    public static let syn = TCPFlags(rawValue: 0x02)
    public static let rst = TCPFlags(rawValue: 0x04)
    public static let psh = TCPFlags(rawValue: 0x08)
    public static let ack = TCPFlags(rawValue: 0x10)
    public static let urg = TCPFlags(rawValue: 0x20)

    /// Flags with their names, in the order they are written.
    public static let writeOrder: [(TCPFlags, StaticString)] = [
        (.syn, "SYN"), (.fin, "FIN"), (.rst, "RST"), (.ack, "ACK"), (.psh, "PSH"), (.urg, "URG"),
    ]

    /// The names in write order.
    public var names: [String] { Self.writeOrder.filter { contains($0.0) }.map(\.1.description) }

    /// The flags OR-ed as VPC flow logs v3+ write `tcp-flags` (FIN 1, SYN 2, RST 4, PSH 8, ACK 16, URG 32).
    public var bitmask: Int { Int(rawValue) }
}
