/// A probability in `[0, 1]`, kept as a 64-bit threshold so a draw is one comparison.
public struct Probability: Sendable, Hashable, CustomStringConvertible {
    public let value: Double
    /// A draw `x` hits when `x < threshold`; `isCertain` covers probability 1.
    @usableFromInline let threshold: UInt64
    @usableFromInline let isCertain: Bool

    /// Returns nil outside `[0, 1]` or for NaN.
    public init?(_ value: Double) {
        guard value >= 0, value <= 1 else { return nil }
        self.value = value
        isCertain = value == 1
        threshold = value == 1 ? .max : UInt64(value * 0x1.0p64)
    }

    public static let zero = Probability(0)!

    @inline(__always) @usableFromInline
    func hits(_ draw: UInt64) -> Bool { isCertain || draw < threshold }

    public var description: String { "\(value)" }
}
