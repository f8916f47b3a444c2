import TelemetryModel

/// What one thread needs to encode column chunks: a compressor (codec state) and two buffers,
/// kept between row groups.
///
/// Sendable: confined. ParquetFileWriter keeps idle lanes in its `lanes` Mutex; a chunk encoder pops one,
/// uses `compressor`, `scratch` and `compressed` alone, and pushes it back under that Mutex.
final class ChunkLane: @unchecked Sendable {
    /// One column's encoded chunk.
    ///
    /// Sendable: confined. Only the encoder of column `i` in ParquetFileWriter's fan-out writes output `i`;
    /// the writer's thread reads it after `concurrentPerform` has returned.
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
