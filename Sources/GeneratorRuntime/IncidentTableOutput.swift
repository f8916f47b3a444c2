import KafkaTransport
import TelemetryFormats

/// Writes the incident table (`--incidents FILE`): JSON lines, or CSV when the path ends in
/// `.csv`. The table is rewritten whole (beside, then renamed over) every few seconds while it
/// changes, and at the end, so a reader always finds a complete table of the records written so far.
final class IncidentTableOutput: RecordOutput {
    let spec: OutputSpec
    let path: String
    private let csv: Bool
    private var table = IncidentTable()
    private var writtenAt: Double?
    /// Seconds between two rewrites while records come.
    static let rewriteInterval = 5.0
    private(set) var records: UInt64 = 0
    private(set) var bytes: UInt64 = 0
    var files: [String] { [path] }
    var delivery: KafkaDeliveryReport? { nil }

    init(path: String) {
        self.path = path
        csv = path.lowercased().hasSuffix(".csv")
        spec = OutputSpec(destination: .file(path: path), format: csv ? .csv : .jsonl)
    }

    var name: String { "incidents(\(path))" }

    func start() throws(OutputError) {
        try rewrite()
    }

    func write(_ chunk: FlowChunk, records range: Range<Int>, now: Double) throws(OutputError) {
        guard chunk.dataset == .flow else { return }
        for i in range { table.add(chunk.events[i]) }
        if writtenAt == nil { writtenAt = now }
    }

    func tick(now: Double) throws(OutputError) {
        guard table.changed, let last = writtenAt, now - last >= Self.rewriteInterval else { return }
        writtenAt = now
        try rewrite()
    }

    func finish() throws(OutputError) {
        try rewrite()
    }

    private func rewrite() throws(OutputError) {
        let bytes = table.render(csv: csv)
        try TextFile.replace(path, with: bytes)
        records = UInt64(table.entries.count)
        self.bytes = UInt64(bytes.count)
    }
}
