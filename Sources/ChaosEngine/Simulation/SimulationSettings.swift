/// What a run simulates besides the network: the seed, when it starts, how busy the network is
/// on average, and the anomalies.
public struct SimulationSettings: Sendable, Hashable {
    public var seed: UInt64
    /// Unix milliseconds of the run's start.
    public var startMs: Int64
    /// Mean records per simulated second over a week (the load curves shape it around this).
    public var timeRate: Double
    public var chaos: ChaosConfiguration
    /// The shards this process simulates (all of them unless the run is one part of several).
    public var shards: ShardSelection
    /// Incidents on a timeline (`--scenario`), on top of the chaos knobs' (validated: see
    /// ``ScenarioPlan/compile(_:topology:startMs:)``).
    public var scenarios: [ScenarioEntry] = []
    /// Slots for scenario entries started while the run goes (``FlowSimulation/startIncident``).
    public var liveSlots = 0
    /// The longest simulation step, in simulated milliseconds (nil: 60 s). Steps are a batching
    /// unit (the records do not depend on them); shorter ones keep the shards close to the output,
    /// so an incident started at run time shows within seconds.
    public var maxStepMs: Int64?

    public init(seed: UInt64, startMs: Int64, timeRate: Double, chaos: ChaosConfiguration, shards: ShardSelection = .all) {
        self.seed = seed
        self.startMs = startMs
        self.timeRate = timeRate
        self.chaos = chaos
        self.shards = shards
    }

    /// The rate at which the port-scan interval holds as configured: a network `k` times busier
    /// is scanned `k` times as often, so a scan's share of the records does not depend on the rate.
    public static let scanReferenceRate = 5_000.0
}

/// One part of a run split over several processes (`--shard I/N`): part `index` (from 1) of
/// `count` simulates the shards `s` with `s % count == index - 1`.
public struct ShardSelection: Sendable, Hashable, CustomStringConvertible {
    public var index: Int
    public var count: Int

    public init?(index: Int, count: Int) {
        guard count >= 1, count <= Topology.shardCount, (1...count).contains(index) else { return nil }
        self.index = index
        self.count = count
    }

    public static let all = ShardSelection(index: 1, count: 1)!

    /// Parses `I/N`.
    public init?(_ text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else { return nil }
        self.init(index: i, count: n)
    }

    @inline(__always)
    public func contains(shard: Int) -> Bool { shard % count == index - 1 }

    public var shards: [Int] { (0..<Topology.shardCount).filter(contains) }

    public var description: String { "\(index)/\(count)" }
}
