/// How a batch of valid records is written as one object.
public enum SinkFormat: String, Sendable, Hashable, CaseIterable {
    /// Newline-delimited JSON, gzip (`zcat`, Python's gzip, Spark and Athena read it).
    case jsonGzip = "json.gz"
    /// Newline-delimited JSON, zstd.
    case jsonZstd = "json.zst"

    /// The object name's extension, with its dot.
    public var fileExtension: String { "." + rawValue }

    public var contentType: String {
        switch self {
        case .jsonGzip: "application/gzip"
        case .jsonZstd: "application/zstd"
        }
    }

    public var defaultLevel: Int {
        switch self {
        case .jsonGzip: 4
        case .jsonZstd: 3
        }
    }

    public var levels: ClosedRange<Int> {
        switch self {
        case .jsonGzip: 1...12
        case .jsonZstd: 1...19
        }
    }
}
