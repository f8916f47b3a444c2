import CoreMetrics
import Synchronization

/// Mirrors running totals a service already keeps (its stats snapshots) into Prometheus
/// counters: each update adds what a total grew by since the last one, so the hot path keeps
/// counting in its own structures and the metrics cost nothing between scrapes.
public final class CounterMirror: Sendable {
    private struct Key: Hashable {
        var name: String
        var labels: [String]
    }

    private let state = Mutex<[Key: (counter: CoreMetrics.Counter, last: UInt64)]>([:])

    public init() {}

    /// Sets counter `name` with `labels` to `total` (a total only grows; a smaller one, from a
    /// restarted source, starts counting again from it).
    public func set(_ name: String, _ labels: [(String, String)] = [], to total: UInt64) {
        let key = Key(name: name, labels: labels.flatMap { [$0.0, $0.1] })
        state.withLock { entries in
            let entry = entries[key] ?? (CoreMetrics.Counter(label: name, dimensions: labels), 0)
            if total > entry.last { entry.counter.increment(by: Int64(total - entry.last)) }
            entries[key] = (entry.counter, total)
        }
    }
}
