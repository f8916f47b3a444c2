/// Where the ingester keeps switch metrics. Both stores keep the Go ingester's model: a snapshot is
/// the reports of one timestamp, "the latest snapshot" is the newest timestamp written, and its
/// reports expire `reportTTL` seconds after they were written (the Go ingester's 30 s), so a
/// generator that stops leaves nothing stale behind. Each switch also keeps a short history.
public protocol MetricStore: Sendable {
    /// Stores reports (any number of snapshots); the newest timestamp becomes the latest snapshot.
    func put(_ reports: [SwitchReport]) async throws(MetricStoreError)
    /// Every report of the latest snapshot, in natural switch order (sw2 before sw10).
    func latestSnapshot() async throws(MetricStoreError) -> [SwitchReport]
    /// A token that changes whenever ``latestSnapshot()`` would answer differently (at worst a
    /// second late for changes another process makes), so a rendered list can be reused.
    func snapshotToken() async throws(MetricStoreError) -> String
    /// One switch's report in the latest snapshot; `counters` false: the Go ingester's three metrics
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

/// A store that cannot serve now (Redis away: 503, and the store recovers by itself), or that
/// refuses what it was given (400). `message` is for the client, in the API's own words (never an
/// address or a socket error); `detail` is for the log.
public struct MetricStoreError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The store does not answer now (503 with `Retry-After`).
        case unavailable
        /// The reports themselves are refused (400): nothing of them was stored.
        case refused
    }

    public let code: Code
    public let message: String
    public let detail: String

    public init(_ code: Code, message: String, detail: String? = nil) {
        self.code = code
        self.message = message
        self.detail = detail ?? message
    }

    /// `<store> is unavailable; retry later` for the client, `detail` for the log.
    public static func unavailable(store: String, detail: String) -> MetricStoreError {
        MetricStoreError(.unavailable, message: "metrics store (\(store)) is unavailable; retry later", detail: detail)
    }

    public var description: String { detail }
}
