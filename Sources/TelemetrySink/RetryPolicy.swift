/// Exponential backoff with jitter: attempt n waits a random time between half and all of
/// `initial * 2^n`, capped at `maximum`, so many sinks retrying at once spread out.
public struct RetryPolicy: Sendable, Hashable {
    public var initial: Double
    public var maximum: Double

    public init(initial: Double = 0.2, maximum: Double = 30) {
        self.initial = initial
        self.maximum = maximum
    }

    /// Seconds to wait after failed attempt number `attempt` (0 for the first failure).
    public func delay(afterAttempt attempt: Int) -> Double {
        let ceiling = min(maximum, initial * Double(1 << min(attempt, 30)))
        return ceiling * Double.random(in: 0.5...1.0)
    }
}
