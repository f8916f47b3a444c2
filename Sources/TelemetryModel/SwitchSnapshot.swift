/// One switch's metrics at one snapshot (the switch dataset, the Go switch generator's): the Go switch generator's three
/// (`bandwidth_mbps`, `latency_ms`, `packet_errors`) and interface counters, with ground truth
/// (`anomalies`) and lineage (`seq`). Decimal metrics are fixed-point hundredths, as the
/// original's values have two decimals.
public struct SwitchSnapshot: Sendable, Hashable {
    /// Position in the generator's sequence (switch after switch, snapshot after snapshot).
    public var seq: Int64
    /// Unix seconds of the snapshot, shared by every switch of it (a stale report carries the
    /// previous snapshot's).
    public var timestamp: Int64
    /// 1-based: `sw1`, `sw2`, ...
    public var switchNumber: Int32
    /// Bits per second / 10^6, times 100.
    public var bandwidthCenti: Int64
    /// Milliseconds, times 100.
    public var latencyCenti: Int64
    public var packetErrors: Int64
    /// The port's speed in Mbit/s (1000 or 10000).
    public var linkSpeedMbps: Int32
    /// Percent of the link speed in use, times 100.
    public var utilizationCenti: Int64
    /// Packets dropped (queues full) since the previous snapshot.
    public var drops: Int64
    /// Frames with a bad checksum since the previous snapshot.
    public var crcErrors: Int64
    public var operUp: Bool
    public var anomalies: AnomalySet

    public init() {
        seq = 0
        timestamp = 0
        switchNumber = 1
        bandwidthCenti = 0
        latencyCenti = 0
        packetErrors = 0
        linkSpeedMbps = 10_000
        utilizationCenti = 0
        drops = 0
        crcErrors = 0
        operUp = true
        anomalies = []
    }

    /// `sw<number>`.
    public var switchID: String { "sw\(switchNumber)" }
}
