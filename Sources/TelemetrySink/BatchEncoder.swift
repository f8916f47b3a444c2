import TelemetryFormats
import TelemetryModel

/// Turns a batch's NDJSON into an object body (gzip, zstd or Parquet) and its dead letters into
/// theirs. One per upload worker: it owns the codecs' state.
final class BatchEncoder {
    let format: SinkFormat
    private let gzip: GzipCompressor?
    private let zstd: ZstdCompressor?
    private let parquet: FlowRecordParquetEncoder?
    /// Dead letters of Parquet sinks (NDJSON gzip).
    private lazy var deadLetterGzip = GzipCompressor(level: SinkFormat.jsonGzip.defaultLevel)
    /// Reused for every batch this worker encodes.
    private var output = WriteBuffer(capacity: 1 << 20)

    init(format: SinkFormat, level: Int) {
        self.format = format
        gzip = format == .jsonGzip ? GzipCompressor(level: level) : nil
        zstd = format == .jsonZstd ? ZstdCompressor(level: level) : nil
        parquet = format == .parquet ? FlowRecordParquetEncoder(level: level) : nil
    }

    /// The object body of a batch's valid records.
    func encode(_ batch: PartitionBatch) throws(FlowRecordParquetEncoder.Failure) -> [UInt8] {
        output.removeAll()
        if let parquet { return try parquet.encode(batch) }
        batch.records.withUnsafeBytes { input in
            if let gzip { gzip.compress(input, into: &output) } else { zstd?.compress(input, into: &output) }
        }
        return output.bytes
    }

    /// The object body of dead letters (NDJSON), in ``SinkFormat/deadLetterFormat``.
    func encodeDeadLetters(_ ndjson: [UInt8]) -> [UInt8] {
        output.removeAll()
        ndjson.withUnsafeBytes { input in
            if let zstd { zstd.compress(input, into: &output) } else { (gzip ?? deadLetterGzip).compress(input, into: &output) }
        }
        return output.bytes
    }
}
