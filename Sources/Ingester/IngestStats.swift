import CoreMetrics
import Synchronization

/// Counts of what the ingester did (requests by status, reports stored, store errors), for its
/// summary and metrics.
public final class IngestStats: Sendable {
    private let state = Mutex(State())

    public struct State: Sendable, Hashable {
        public var requestsByStatus: [Int: UInt64] = [:]
        public var reportsStored: UInt64 = 0
        public var reportsRefused: UInt64 = 0
        public var storeErrors: UInt64 = 0
        public var pulls: UInt64 = 0
        public var pullFailures: UInt64 = 0
        /// What lenient reading ignored: keys given twice in a record, unknown fields or CSV values.
        public var ignoredDuplicateKeys: UInt64 = 0
        public var ignoredUnknownFields: UInt64 = 0
    }

    private let reportsStored = CoreMetrics.Counter(label: "netchaos_ingest_reports_stored_total")
    private let storeErrors: CoreMetrics.Counter
    /// Made at once, so both series are exported (at 0) before lenient reading ignores anything.
    private let lenientDuplicates = CoreMetrics.Counter(label: "netchaos_ingest_lenient_fields_total", dimensions: [("kind", "duplicate")])
    private let lenientUnknown = CoreMetrics.Counter(label: "netchaos_ingest_lenient_fields_total", dimensions: [("kind", "unknown")])

    /// - Parameter store: the store's name, for the store-errors metric.
    public init(store: String = "memory") {
        storeErrors = CoreMetrics.Counter(label: "netchaos_ingest_store_errors_total", dimensions: [("store", store)])
    }

    public var snapshot: State { state.withLock { $0 } }

    func request(status: Int) { state.withLock { $0.requestsByStatus[status, default: 0] += 1 } }
    func stored(_ count: Int) {
        state.withLock { $0.reportsStored += UInt64(count) }
        reportsStored.increment(by: count)
    }
    func refused(_ count: Int) { state.withLock { $0.reportsRefused += UInt64(count) } }
    func storeError() {
        state.withLock { $0.storeErrors += 1 }
        storeErrors.increment()
    }
    func ignored(duplicateKeys: Int, unknownFields: Int) {
        guard duplicateKeys > 0 || unknownFields > 0 else { return }
        state.withLock {
            $0.ignoredDuplicateKeys += UInt64(duplicateKeys)
            $0.ignoredUnknownFields += UInt64(unknownFields)
        }
        if duplicateKeys > 0 { lenientDuplicates.increment(by: duplicateKeys) }
        if unknownFields > 0 { lenientUnknown.increment(by: unknownFields) }
    }
    func pulled(ok: Bool) { state.withLock { ok ? ($0.pulls += 1) : ($0.pullFailures += 1) } }
}
