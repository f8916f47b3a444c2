/// Which incident produced a record, in 64 bits: the family in the top byte, a number unique within
/// the family for the run below it; 0 when no incident did. Written as `inc-` and 16 hex digits.
public struct IncidentID: Sendable, BitwiseCopyable, Hashable, Comparable {
    public let rawValue: UInt64

    @inline(__always)
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    @inline(__always)
    public init(family: IncidentFamily, number: UInt64) {
        rawValue = UInt64(family.rawValue) << 56 | (number & 0x00FF_FFFF_FFFF_FFFF)
    }

    public static let none = IncidentID(rawValue: 0)

    @inline(__always)
    public var isNone: Bool { rawValue == 0 }

    /// The family (``IncidentFamily/none`` for an unknown top byte).
    @inline(__always)
    public var family: IncidentFamily { IncidentFamily(rawValue: UInt8(rawValue >> 56)) ?? .none }

    /// The text form's length: `inc-` and 16 hex digits.
    public static let textLength = 20

    /// `inc-` and 16 lower-case hex digits.
    public var text: String {
        let hex = String(rawValue, radix: 16)
        return "inc-" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Parses the text form.
    public init?(text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == Self.textLength, bytes.starts(with: Array("inc-".utf8)), let value = UInt64(String(text.dropFirst(4)), radix: 16),
              bytes[4...].allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }), IncidentFamily(rawValue: UInt8(value >> 56)).map({ $0 != .none }) == true
        else { return nil }
        rawValue = value
    }

    public static func < (lhs: IncidentID, rhs: IncidentID) -> Bool { lhs.rawValue < rhs.rawValue }
}
