import Synchronization
import TelemetryModel

/// The incidents a run has written records of, as the live page shows them: the newest by start,
/// refreshed by the writer thread every second (``IncidentTableOutput`` with a board).
public final class IncidentBoard: Sendable {
    /// One incident so far.
    public struct Row: Sendable, Hashable {
        public var id: IncidentID
        public var startMs: Int64
        public var endMs: Int64
        public var records: UInt64
        public var sources: Int
        public var targets: Int
    }

    private let state = Mutex<(rows: [Row], total: Int, writtenMs: Int64)>(([], 0, 0))
    /// Rows kept (the newest by start).
    public static let kept = 50

    public init() {}

    /// The newest incidents by start, newest first, how many there are in all, and the end of the
    /// newest record written (Unix ms of event time: an incident with a record in the minute before
    /// it is running).
    public var snapshot: (rows: [Row], total: Int, writtenMs: Int64) { state.withLock { $0 } }

    func publish(_ table: IncidentTable, writtenMs: Int64) {
        let newest = table.entries.sorted { ($0.value.startMs, $0.key) > ($1.value.startMs, $1.key) }.prefix(Self.kept).map { id, entry in
            Row(id: id, startMs: entry.startMs, endMs: entry.endMs, records: entry.records, sources: entry.sources.count, targets: entry.targets.count)
        }
        state.withLock { $0 = (Array(newest), table.entries.count, writtenMs) }
    }
}
