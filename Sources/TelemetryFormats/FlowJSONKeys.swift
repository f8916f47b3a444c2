import TelemetryModel

/// Every flow field's JSON key with its punctuation, `,"name":`, each in a 32-byte slot of its
/// own (its length in the slot's last byte), made from ``FlowRecordField`` so the key is spelled
/// once. Writing one is a single fixed-size copy: the copy may run up to 32 bytes past the key, so
/// writers keep that much room past each record.
///
/// Sendable: immutable after `init`: `slots` is written only in `init`; ``write(_:_:first:)``
/// only reads it.
public final class FlowJSONKeys: @unchecked Sendable {
    static let slotBytes = 32
    private let slots: UnsafeMutablePointer<UInt8>

    public init() {
        let fields = FlowRecordField.allCases
        slots = .allocate(capacity: fields.count * Self.slotBytes)
        slots.initialize(repeating: 0, count: fields.count * Self.slotBytes)
        for field in fields {
            let key = Array(",\"\(field.key)\":".utf8)
            precondition(key.count < Self.slotBytes, "the key of \(field) does not fit its slot")
            let slot = slots + Int(field.rawValue) * Self.slotBytes
            slot.update(from: key, count: key.count)
            slot[Self.slotBytes - 1] = UInt8(key.count)
        }
    }

    deinit { slots.deallocate() }

    /// Writes `,"name":`, or `{"name":` for the record's first field.
    @inline(__always)
    func write(_ p: inout UnsafeMutablePointer<UInt8>, _ field: FlowRecordField, first: Bool = false) {
        let slot = UnsafePointer(slots) + Int(field.rawValue) &* Self.slotBytes
        UnsafeMutableRawPointer(p).copyMemory(from: slot, byteCount: Self.slotBytes)
        if first { p.pointee = UInt8(ascii: "{") }
        p += Int(slot[Self.slotBytes - 1])
    }
}
