import TelemetryFormats

/// Compresses a batch's NDJSON into an object body. One per upload worker: it owns the
/// compressor's state.
final class BatchEncoder {
    let format: SinkFormat
    private let gzip: GzipCompressor?
    private let zstd: ZstdCompressor?
    /// Reused for every batch this worker encodes.
    private var output = ByteBuffer(capacity: 1 << 20)

    init(format: SinkFormat, level: Int) {
        self.format = format
        switch format {
        case .jsonGzip:
            gzip = GzipCompressor(level: level)
            zstd = nil
        case .jsonZstd:
            gzip = nil
            zstd = ZstdCompressor(level: level)
        }
    }

    func encode(_ ndjson: [UInt8]) -> [UInt8] {
        output.removeAll()
        ndjson.withUnsafeBytes { input in
            if let gzip { gzip.compress(input, into: &output) } else { zstd?.compress(input, into: &output) }
        }
        return output.bytes
    }
}
