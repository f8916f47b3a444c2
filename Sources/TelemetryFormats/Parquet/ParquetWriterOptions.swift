/// How a Parquet file is laid out and compressed.
public struct ParquetWriterOptions: Sendable {
    public var compression: ParquetCompression
    /// Codec level for gzip (1-12) and zstd (1-19); nil for the codec's fast default (1).
    public var compressionLevel: Int?
    /// A row group ends after this many rows...
    public var rowGroupRows: Int
    /// ...or once its columns hold about this many bytes, whichever comes first.
    public var rowGroupBytes: Int
    /// Rows per data page (pages end at row boundaries).
    public var pageRows: Int
    /// Key-value metadata stored in the footer (the generator's seed and configuration).
    public var metadata: [(key: String, value: String)]
    /// Threads that encode and compress columns at once (1: the caller's thread only). The file's
    /// bytes are the same for any value.
    public var parallelism: Int

    public init(
        compression: ParquetCompression = .zstd, compressionLevel: Int? = nil, rowGroupRows: Int = 262_144,
        rowGroupBytes: Int = 64 << 20, pageRows: Int = 20_000, metadata: [(key: String, value: String)] = [],
        parallelism: Int = 2
    ) {
        self.compression = compression
        self.compressionLevel = compressionLevel
        self.rowGroupRows = rowGroupRows
        self.rowGroupBytes = rowGroupBytes
        self.pageRows = pageRows
        self.metadata = metadata
        self.parallelism = max(1, parallelism)
    }
}
