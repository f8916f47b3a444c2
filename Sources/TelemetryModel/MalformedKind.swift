/// How a malformed record is broken. The generator injects each kind on purpose so that a
/// downstream validator can be tested against every class of bad input.
public enum MalformedKind: UInt8, Sendable, CaseIterable, Hashable {
    /// The record stops part-way (JSON that does not parse, a CSV row with too few columns).
    case truncated = 1
    /// A field has the wrong JSON type (a number sent as a string, a string sent as a number).
    case wrongType = 2
    /// A required field is absent.
    case missingField = 3
    /// A number outside its domain (port above 65535, negative counter).
    case outOfRange = 4
    /// An address that is not a valid IPv4 address.
    case badIP = 5

    /// The wire name, as written in `malformed_kind`.
    @inlinable public var staticName: StaticString {
        switch self {
        case .truncated: "truncated"
        case .wrongType: "wrong_type"
        case .missingField: "missing_field"
        case .outOfRange: "out_of_range"
        case .badIP: "bad_ip"
        }
    }

    /// The wire name as a `String`.
    public var name: String { staticName.description }

    public init?(name: String) {
        guard let kind = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = kind
    }
}

/// What to break in a malformed record: the kind, and a variant that picks the field or the
/// bad value deterministically.
public struct Malformation: Sendable, Hashable {
    public var kind: MalformedKind
    /// Chooses the field and the exact bad value; interpreted by each encoder.
    public var variant: UInt32

    public init(kind: MalformedKind, variant: UInt32) {
        self.kind = kind
        self.variant = variant
    }
}
