/// Event time: slot `i` of the sequence happens at `start + i / eventsPerSecond`, so the data
/// looks like a network doing that many flows per second however fast it is produced, and the
/// same seed and start give the same timestamps.
public struct EventClock: Sendable, Hashable {
    /// Unix seconds of slot 0.
    public var start: Double
    /// Simulated events per second (the target rate, or the time rate in max mode).
    public var eventsPerSecond: Double

    public init(start: Double, eventsPerSecond: Double) {
        precondition(eventsPerSecond > 0)
        self.start = start
        self.eventsPerSecond = eventsPerSecond
    }

    /// Seconds since slot 0.
    @inline(__always)
    public func offset(ofSlot slot: UInt64) -> Double { Double(slot) / eventsPerSecond }

    /// Unix seconds of a slot, rounded down.
    @inline(__always)
    public func timestamp(ofSlot slot: UInt64) -> Int64 {
        Int64((start + Double(slot) / eventsPerSecond).rounded(.down))
    }
}
