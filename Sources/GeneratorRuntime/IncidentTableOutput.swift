import KafkaTransport
import TelemetryFormats

/// Writes the incident table (`--incidents FILE`): JSON lines, or CSV when the path ends in
/// `.csv`. The table is rewritten whole (beside, then renamed over) every few seconds while it
/// changes, and at the end, so a reader always finds a complete table of the records written so far.
/// At `s3://BUCKET/KEY` it is uploaded whole instead, every minute while it changes and at the end.
final class IncidentTableOutput: RecordOutput {
    let spec: OutputSpec
    let path: String
    private let csv: Bool
    private var table = IncidentTable()
    private var writtenAt: Double?
    /// The object store and key of an `s3://` table.
    private let upload: (uploader: ObjectUploader, key: String)?
    /// Where the live page reads the incidents (no file then: `path` is empty).
    private let board: IncidentBoard?
    private var publishedAt = 0.0
    /// The end of the newest record written (for the board).
    private var writtenMs: Int64 = 0
    /// Seconds between two rewrites while records come (a file; an object).
    static let rewriteInterval = 5.0
    static let uploadInterval = 60.0
    private(set) var records: UInt64 = 0
    private(set) var bytes: UInt64 = 0
    var files: [String] { path.isEmpty ? [] : [path] }
    var delivery: KafkaDeliveryReport? { nil }

    init(path: String, upload: (uploader: ObjectUploader, key: String)? = nil, board: IncidentBoard? = nil) {
        self.path = path
        self.upload = upload
        self.board = board
        csv = path.lowercased().hasSuffix(".csv")
        spec = OutputSpec(destination: .file(path: path), format: csv ? .csv : .jsonl)
    }

    /// `s3://BUCKET/KEY` as the store's location (`s3://BUCKET`) and the object's key.
    static func objectLocation(_ path: String) -> (location: String, key: String)? {
        guard path.lowercased().hasPrefix("s3://") else { return nil }
        let rest = path.dropFirst(5)
        guard let slash = rest.firstIndex(of: "/"), slash != rest.startIndex else { return nil }
        let key = String(rest[rest.index(after: slash)...])
        guard !key.isEmpty, !key.hasSuffix("/") else { return nil }
        return ("s3://" + rest[..<slash], key)
    }

    var name: String { board != nil && path.isEmpty ? "incidents(live page)" : "incidents(\(path))" }

    func start() throws(OutputError) {
        try rewrite()
    }

    /// Only the live page's board: no file.
    convenience init(board: IncidentBoard) {
        self.init(path: "", board: board)
    }

    func write(_ chunk: FlowChunk, records range: Range<Int>, now: Double) throws(OutputError) {
        guard chunk.dataset == .flow else { return }
        for i in range { table.add(chunk.events[i]) }
        if board != nil, let last = range.last { writtenMs = max(writtenMs, chunk.events[last].endMs) }
        if writtenAt == nil { writtenAt = now }
    }

    func tick(now: Double) throws(OutputError) {
        if let board, now - publishedAt >= 1 {
            publishedAt = now
            board.publish(table, writtenMs: writtenMs)
        }
        guard !path.isEmpty, table.changed, let last = writtenAt, now - last >= (upload == nil ? Self.rewriteInterval : Self.uploadInterval) else { return }
        writtenAt = now
        try rewrite()
    }

    func finish() throws(OutputError) {
        board?.publish(table, writtenMs: writtenMs)
        try rewrite()
        try upload?.uploader.drain()
    }

    private func rewrite() throws(OutputError) {
        guard !path.isEmpty else { return }
        let bytes = table.render(csv: csv)
        if let upload {
            try upload.uploader.enqueue(key: upload.key, body: bytes)
        } else {
            try TextFile.replace(path, with: bytes)
        }
        records = UInt64(table.entries.count)
        self.bytes = UInt64(bytes.count)
    }
}
