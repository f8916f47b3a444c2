import CDeflate

/// Compresses whole buffers into gzip members with libdeflate. Members concatenate into a valid
/// multi-member gzip file (`zcat`, Python's `gzip`, pandas read them), so chunks can be
/// compressed in parallel and written in order.
///
/// One compressor per thread: it owns libdeflate state.
public final class GzipCompressor {
    private let compressor: OpaquePointer
    public let level: Int

    /// - Parameter level: 1 (fastest) to 12 (smallest); libdeflate's 6 matches gzip's default ratio.
    public init(level: Int = 4) {
        precondition((1...12).contains(level))
        self.level = level
        compressor = libdeflate_alloc_compressor(Int32(level))
    }

    deinit { libdeflate_free_compressor(compressor) }

    /// Appends one gzip member holding `input` to `output`.
    public func compress(_ input: UnsafeRawBufferPointer, into output: inout ByteBuffer) {
        let bound = libdeflate_gzip_compress_bound(compressor, input.count)
        output.reserve(bound)
        output.withWriter { p in
            let written = libdeflate_gzip_compress(compressor, input.baseAddress, input.count, p, bound)
            precondition(written > 0, "libdeflate bound was too small")
            return p + written
        }
    }
}
