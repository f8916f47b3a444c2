/// A number ``JSONByteScanner`` scanned. `magnitude` is exact for integers up to 19 digits and
/// `UInt64.max` beyond.
public struct JSONNumberToken: Sendable {
    /// The integer part's absolute value (see above).
    public var magnitude: UInt64
    /// Written with a leading `-`.
    public var negative: Bool
    /// No fraction and no exponent.
    public var isInteger: Bool

    @inlinable
    public init(magnitude: UInt64, negative: Bool, isInteger: Bool) {
        self.magnitude = magnitude
        self.negative = negative
        self.isInteger = isInteger
    }

    /// The value as an Int64, or `nil` when it does not fit.
    @inlinable @inline(__always)
    public var int64: Int64? {
        if negative {
            return magnitude <= UInt64(Int64.max) + 1 ? Int64(truncatingIfNeeded: 0 &- magnitude) : nil
        }
        return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
    }

    /// The value exactly as a Double when it is an integer of at most 2^53 (`-0` included);
    /// `nil` otherwise (then convert the number's text).
    @inlinable @inline(__always)
    public var exactDouble: Double? {
        guard isInteger, magnitude <= 1 << 53 else { return nil }
        return negative ? -Double(magnitude) : Double(magnitude)
    }
}
