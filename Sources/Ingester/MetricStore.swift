/// Where the ingester keeps switch metrics. Both stores keep the original's model: a snapshot is
/// the reports of one timestamp, "the latest snapshot" is the newest timestamp written, and its
/// reports expire `reportTTL` seconds after they were written (the original's 30 s), so a
/// generator that stops leaves nothing stale behind. Each switch also keeps a short history.
public protocol MetricStore: Sendable {
    /// Stores reports (any number of snapshots); the newest timestamp becomes the latest snapshot.
    func put(_ reports: [SwitchReport]) async throws(MetricStoreError)
    /// Every report of the latest snapshot, in natural switch order (sw2 before sw10).
    func latestSnapshot() async throws(MetricStoreError) -> [SwitchReport]
    /// A token that changes whenever ``latestSnapshot()`` would answer differently (at worst a
    /// second late for changes another process makes), so a rendered list can be reused.
    func snapshotToken() async throws(MetricStoreError) -> String
    /// One switch's report in the latest snapshot; `counters` false: the original's three metrics
    /// are enough (a store may skip the interface counters).
    func latest(switchID: String, counters: Bool) async throws(MetricStoreError) -> SwitchReport?
    /// One switch's most recent report, whatever snapshot it was in.
    func newest(switchID: String) async throws(MetricStoreError) -> SwitchReport?
    /// One switch's recent reports, newest first, at most `limit`.
    func history(switchID: String, limit: Int) async throws(MetricStoreError) -> [SwitchReport]
    /// Whether the store answers now (for `/health` details and metrics).
    func isAvailable() async -> Bool
    var name: String { get }
}

/// A store that cannot serve now (Redis away): requests get 503 and the store recovers by itself.
public struct MetricStoreError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
