/// The validator's view of ``FlowRecordField``: which keys each object may hold, looked up by
/// their bytes, and which it must hold, as bits.
enum FlowKeyTable {
    /// Fields by object (record, `app_layer`, `tags`) and key length.
    private static let byLength: [[[FlowRecordField]]] = [nil, FlowRecordField.appLayer, .tags].map { container in
        var table = [[FlowRecordField]](repeating: [], count: 32)
        for field in FlowRecordField.allCases where field.container == container {
            table[field.name.utf8CodeUnitCount].append(field)
        }
        return table
    }

    private static let requiredBits: [UInt64] = [nil, FlowRecordField.appLayer, .tags].map { container in
        FlowRecordField.allCases.filter { $0.container == container && $0.presence == .required }
            .reduce(0) { $0 | 1 << UInt64($1.rawValue) }
    }

    @inline(__always)
    private static func index(_ container: FlowRecordField?) -> Int {
        switch container {
        case nil: 0
        case .appLayer: 1
        default: 2
        }
    }

    /// The field of `container` (nil: the record) whose key is the `count` bytes at `p`.
    static func field(in container: FlowRecordField?, named p: UnsafeRawPointer, count: Int) -> FlowRecordField? {
        guard count < 32 else { return nil }
        for field in byLength[index(container)][count] where JSONByteScanner.equals(p, count, field.name) {
            return field
        }
        return nil
    }

    /// The keys `container` must hold, as bits at their raw values.
    @inline(__always)
    static func required(in container: FlowRecordField?) -> UInt64 { requiredBits[index(container)] }
}

extension FlowRecordField {
    /// The key our encoder writes after this one, guessed first when the next key is read: the
    /// next in order, past the fields written on some records only (the ground truth of incidents
    /// and malformed records); the last of an object guesses itself.
    @inline(__always)
    var successor: FlowRecordField {
        switch self {
        case .anomalies, .malformedKind, .stage: .generatorID
        case .seq, .statusCode, .accountID: self
        default: FlowRecordField(rawValue: rawValue + 1) ?? self
        }
    }

    /// The first member of an object.
    @inline(__always)
    var firstMember: FlowRecordField { self == .tags ? .env : .appProtocol }
}
