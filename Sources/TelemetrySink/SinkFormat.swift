/// How a batch of valid records is written as one object.
public enum SinkFormat: String, Sendable, Hashable, CaseIterable {
    /// Newline-delimited JSON, gzip (`zcat`, Python's gzip, Spark and Athena read it).
    case jsonGzip = "json.gz"
    /// Newline-delimited JSON, zstd.
    case jsonZstd = "json.zst"
    /// Apache Parquet (zstd pages), one row group per object, the flow schema of
    /// `netchaos generate --format parquet`. Dead letters stay NDJSON (gzip).
    case parquet

    /// Written column by column: the sink keeps where each record's fields lie.
    public var isColumnar: Bool { self == .parquet }

    /// The object name's extension, with its dot.
    public var fileExtension: String { "." + rawValue }

    public var contentType: String {
        switch self {
        case .jsonGzip: "application/gzip"
        case .jsonZstd: "application/zstd"
        case .parquet: "application/vnd.apache.parquet"
        }
    }

    /// The format dead letters are stored in: they keep their original bytes and reason, which a
    /// typed columnar file cannot hold, so Parquet sinks write them as NDJSON gzip.
    public var deadLetterFormat: SinkFormat {
        self == .parquet ? .jsonGzip : self
    }

    /// gzip 1: about half the CPU of level 4 for about 9% more bytes (flow records), which keeps
    /// the sink's throughput bound by Kafka rather than by compression.
    public var defaultLevel: Int {
        switch self {
        case .jsonGzip: 1
        case .jsonZstd: 3
        case .parquet: 1
        }
    }

    public var levels: ClosedRange<Int> {
        switch self {
        case .jsonGzip: 1...12
        case .jsonZstd, .parquet: 1...19
        }
    }
}
