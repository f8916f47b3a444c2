/// Chaos for switch metrics. Each kind is drawn independently; the episodic ones (flaps,
/// congestion, error bursts) last a whole window of snapshots of one switch, so they look like
/// events, not noise. A probability is the share of snapshots a kind affects.
public struct SwitchChaos: Sendable, Hashable {
    public var enabled: Bool
    /// The port goes down for a snapshot: status down, no traffic.
    public var linkFlap: Probability
    /// Six snapshots near line rate: latency up tenfold or more, queues dropping.
    public var congestionSpike: Probability
    /// Two snapshots of CRC and packet errors in the hundreds to thousands.
    public var errorBurst: Probability
    /// The switch reports its previous snapshot again (old timestamp and values).
    public var stale: Probability
    /// The switch is missing from a snapshot (a gap in `seq`, counted as dropped).
    public var missing: Probability

    /// Snapshots an episode lasts.
    public static let congestionLength: UInt64 = 6
    public static let errorBurstLength: UInt64 = 2

    public init(
        enabled: Bool = true, linkFlap: Probability = Probability(0.002)!, congestionSpike: Probability = Probability(0.01)!,
        errorBurst: Probability = Probability(0.005)!, stale: Probability = Probability(0.005)!, missing: Probability = Probability(0.002)!
    ) {
        self.enabled = enabled
        self.linkFlap = linkFlap
        self.congestionSpike = congestionSpike
        self.errorBurst = errorBurst
        self.stale = stale
        self.missing = missing
    }
}
