/// What one thread needs to encode column chunks: a compressor (codec state) and two buffers,
/// kept between row groups.
final class ChunkLane: @unchecked Sendable {
    /// One column's encoded chunk.
    final class Output: @unchecked Sendable {
        var bytes = WriteBuffer(capacity: 64 * 1024)
    }

    let compressor: ParquetCompressor
    var scratch = WriteBuffer(capacity: 1 << 20)
    var compressed = WriteBuffer(capacity: 1 << 20)

    init(_ options: ParquetWriterOptions) {
        compressor = ParquetCompressor(options.compression, level: options.compressionLevel)
    }
}
