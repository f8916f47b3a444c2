/// Where one field's value lies in a record the validator accepted: bytes `start..<end`, from the
/// value's first byte to just past its last. `end == 0` when the record does not hold the field.
public struct FlowSpan: Sendable, Hashable {
    public var start: UInt32
    public var end: UInt32

    public init() {
        start = 0
        end = 0
    }

    @inline(__always)
    init(start: Int, end: Int) {
        self.start = UInt32(truncatingIfNeeded: start)
        self.end = UInt32(truncatingIfNeeded: end)
    }

    public var isPresent: Bool { end != 0 }
}
