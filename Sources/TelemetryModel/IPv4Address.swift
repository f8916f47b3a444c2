/// An IPv4 address held as its 32-bit value.
public struct IPv4Address: Sendable, BitwiseCopyable, Hashable, Comparable, CustomStringConvertible {
    public var value: UInt32

    public init(_ value: UInt32) { self.value = value }

    public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        value = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
    }

    /// Parses dotted-quad text strictly: four decimal octets 0-255, no leading zeros, nothing else.
    public init?(_ text: some StringProtocol) {
        var result: UInt32 = 0
        var octets = 0
        var current: UInt32 = 0
        var digits = 0
        var leadingZero = false
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if digits == 1 && leadingZero { return nil }
                if digits == 0 && byte == UInt8(ascii: "0") { leadingZero = true }
                current = current * 10 + UInt32(byte - UInt8(ascii: "0"))
                digits += 1
                if digits > 3 || current > 255 { return nil }
            case UInt8(ascii: "."):
                guard digits > 0, octets < 3 else { return nil }
                result = result << 8 | current
                octets += 1
                current = 0
                digits = 0
                leadingZero = false
            default:
                return nil
            }
        }
        guard digits > 0, octets == 3 else { return nil }
        value = result << 8 | current
    }

    public var description: String {
        "\(value >> 24).\(value >> 16 & 0xff).\(value >> 8 & 0xff).\(value & 0xff)"
    }

    public static func < (lhs: IPv4Address, rhs: IPv4Address) -> Bool { lhs.value < rhs.value }

    /// In RFC 1918 space (10/8, 172.16/12, 192.168/16): a host of the network's own, as Zeek's
    /// `Site::local_nets` would hold it.
    @inlinable public var isPrivate: Bool { value >> 24 == 10 || value >> 20 == 0xAC1 || value >> 16 == 0xC0A8 }
}

/// An IPv4 network in CIDR notation (`10.0.1.0/24`).
public struct IPv4Network: Sendable, Hashable, CustomStringConvertible {
    public var network: IPv4Address
    public var prefixLength: Int

    public init(network: IPv4Address, prefixLength: Int) {
        precondition((0...32).contains(prefixLength))
        let mask: UInt32 = prefixLength == 0 ? 0 : ~UInt32(0) << (32 - prefixLength)
        self.network = IPv4Address(network.value & mask)
        self.prefixLength = prefixLength
    }

    /// Parses `a.b.c.d/n` (or a bare address, meaning `/32`). Host bits must be zero.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = IPv4Address(parts[0]) else { return nil }
        var length = 32
        if parts.count == 2 {
            guard let parsed = Int(parts[1]), (0...32).contains(parsed) else { return nil }
            length = parsed
        }
        let mask: UInt32 = length == 0 ? 0 : ~UInt32(0) << (32 - length)
        guard address.value & ~mask == 0 else { return nil }
        self.init(network: address, prefixLength: length)
    }

    /// How many addresses the network holds.
    public var size: UInt64 { UInt64(1) << UInt64(32 - prefixLength) }

    /// Usable host addresses: the whole range for /31 and /32, otherwise without the network and
    /// broadcast addresses.
    public var hostCount: UInt64 { prefixLength >= 31 ? size : size - 2 }

    /// The `index`-th usable host address (`index < hostCount`).
    @inline(__always)
    public func host(_ index: UInt64) -> IPv4Address {
        let offset = prefixLength >= 31 ? index : index + 1
        return IPv4Address(network.value &+ UInt32(truncatingIfNeeded: offset))
    }

    public func contains(_ address: IPv4Address) -> Bool {
        let mask: UInt32 = prefixLength == 0 ? 0 : ~UInt32(0) << (32 - prefixLength)
        return address.value & mask == network.value
    }

    public var description: String { "\(network)/\(prefixLength)" }
}
