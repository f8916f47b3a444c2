/// Exact-rate pacing: record `i` is due `i / rate` seconds after the start. The pacer answers how
/// many records are due at a moment and when the next one is, so the caller releases records in
/// small batches and sleeps in between (no drift: everything is measured from the start).
public struct RatePacer: Sendable {
    /// Records per second; nil means as fast as possible.
    public let rate: Double?

    public init(rate: Double?) {
        precondition(rate.map { $0 > 0 } ?? true)
        self.rate = rate
    }

    /// How many records should have been released `elapsed` seconds after the start.
    @inline(__always)
    public func due(atElapsed elapsed: Double) -> UInt64 {
        guard let rate else { return .max }
        return elapsed < 0 ? 0 : UInt64((elapsed * rate).rounded(.down)) + 1
    }

    /// Seconds after the start at which record `index` (0-based) is due.
    @inline(__always)
    public func dueTime(ofRecord index: UInt64) -> Double {
        guard let rate else { return 0 }
        return Double(index) / rate
    }
}
