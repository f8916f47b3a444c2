import TelemetryFormats

/// Zeek's conn.log in a run that writes it: the fold of the records into connections, run by the
/// simulation's merge jobs in report order, and the logs (TSV, JSON) whose lines the copy jobs
/// write into each chunk, in parallel. The file outputs write those lines and, at the end, the
/// connections still open after their last record.
///
/// Sendable: the fold is used by one merge job at a time (merges run one after another, each
/// claimed under ChunkSlots' lock), then, once the workers have stopped, by the writer thread.
final class ZeekLogs: @unchecked Sendable {
    let fold: ZeekConnectionFold
    let tsv: ZeekConnLog?
    let json: ZeekConnLog?

    init(inactivityMs: Int64, tsv: Bool, json: Bool) {
        fold = ZeekConnectionFold(inactivityMs: inactivityMs)
        self.tsv = tsv ? ZeekConnLog(format: .tsv) : nil
        self.json = json ? ZeekConnLog(format: .json) : nil
    }

    func log(_ format: ZeekConnLog.Format) -> ZeekConnLog? { format == .tsv ? tsv : json }
}
