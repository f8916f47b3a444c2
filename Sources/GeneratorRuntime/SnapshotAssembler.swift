import TelemetryModel

/// Gathers released switch records into whole snapshots: a snapshot is complete when a record of
/// a newer timestamp arrives (a stale report, older, stays with the snapshot it arrived in), or
/// when `maxRecords` are held, or at the end.
struct SnapshotAssembler {
    let maxRecords: Int
    private(set) var records: [SwitchSnapshot] = []
    private var newest: Int64 = .min

    init(maxRecords: Int) { self.maxRecords = maxRecords }

    /// Adds records `range` of `chunk`; calls `emit` with every snapshot they complete.
    mutating func add<E: Error>(_ chunk: FlowChunk, _ range: Range<Int>, emit: ([SwitchSnapshot]) throws(E) -> Void) throws(E) {
        for i in range {
            let record = chunk.switches[i]
            if (record.timestamp > newest && !records.isEmpty) || records.count >= maxRecords {
                try emit(records)
                records.removeAll(keepingCapacity: true)
            }
            newest = max(newest, record.timestamp)
            records.append(record)
        }
    }

    /// Hands over what is held (the last snapshot).
    mutating func flush<E: Error>(emit: ([SwitchSnapshot]) throws(E) -> Void) throws(E) {
        guard !records.isEmpty else { return }
        try emit(records)
        records.removeAll()
    }
}
