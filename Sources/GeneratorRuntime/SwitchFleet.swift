/// The switches of the switch dataset: `sw1`..`sw<count>` (the Go switch generator's 100), a snapshot of
/// all of them every `interval` seconds of event time (the Go switch generator's 10).
public struct SwitchFleet: Sendable, Hashable {
    public var count: Int
    public var interval: Double

    public init(count: Int = 100, interval: Double = 10) {
        self.count = count
        self.interval = interval
    }

    /// Records per second that keep snapshots in real time (one snapshot of every switch per interval).
    public var realTimeRate: Double { Double(count) / interval }
}
