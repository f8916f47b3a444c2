import CZstd
import TelemetryModel

/// Compresses whole buffers into zstd frames with libzstd. Frames concatenate into a valid
/// stream (`zstd -d`, `zstdcat` read them).
///
/// One compressor per thread: it owns a libzstd context.
public final class ZstdCompressor {
    private let context: OpaquePointer
    public let level: Int

    /// - Parameter level: 1 (fastest) to 19 (smallest); 3 is libzstd's default.
    public init(level: Int = 3) {
        precondition((1...19).contains(level))
        self.level = level
        context = ZSTD_createCCtx()
    }

    deinit { ZSTD_freeCCtx(context) }

    /// Appends one zstd frame holding `input` to `output`.
    public func compress(_ input: UnsafeRawBufferPointer, into output: inout WriteBuffer) {
        let bound = ZSTD_compressBound(input.count)
        output.reserve(bound)
        output.withWriter { p in
            let written = ZSTD_compressCCtx(context, p, bound, input.baseAddress, input.count, Int32(level))
            precondition(ZSTD_isError(written) == 0, "zstd: \(String(cString: ZSTD_getErrorName(written)))")
            return p + written
        }
    }
}
