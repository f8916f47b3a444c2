import CDeflate
import CIsal
import TelemetryModel

/// Compresses whole buffers into gzip members. Members concatenate into a valid multi-member
/// gzip file (`zcat`, Python's `gzip`, pandas read them), so chunks can be compressed in parallel
/// and written in order.
///
/// Level 1 is Intel ISA-L's igzip at its level 1, the fastest deflate there is: 2.5 times
/// libdeflate's level 1 on flow records, for files about 6% larger. Levels 2 to 12 are
/// libdeflate's (6 matches gzip's default ratio, 12 is the smallest).
///
/// One compressor per thread: it owns the libraries' state.
public final class GzipCompressor {
    public let level: Int
    private let libdeflate: OpaquePointer
    /// ISA-L's work buffer for level 1 (nil at other levels), and its stream state (80 KB, so
    /// kept here rather than on a worker thread's stack).
    private let isalBuffer: UnsafeMutablePointer<UInt8>?
    private let isalBufferBytes: UInt32
    private let isalStream: UnsafeMutablePointer<isal_zstream>?

    /// - Parameter level: 1 (fastest, ISA-L) to 12 (smallest, libdeflate).
    public init(level: Int = 4) {
        precondition((1...12).contains(level))
        self.level = level
        // libdeflate also serves level 1 for inputs too large for ISA-L's 32-bit lengths.
        libdeflate = libdeflate_alloc_compressor(Int32(level))
        if level == 1 {
            isalBufferBytes = netchaos_isal_level1_buffer_bytes()
            isalBuffer = .allocate(capacity: Int(isalBufferBytes))
            isalStream = .allocate(capacity: 1)
        } else {
            isalBufferBytes = 0
            isalBuffer = nil
            isalStream = nil
        }
    }

    deinit {
        libdeflate_free_compressor(libdeflate)
        isalBuffer?.deallocate()
        isalStream?.deallocate()
    }

    /// Appends one gzip member holding `input` to `output`.
    public func compress(_ input: UnsafeRawBufferPointer, into output: inout WriteBuffer) {
        if let isalStream, input.count < Int(UInt32.max / 2), compressWithISAL(input, stream: isalStream, into: &output) { return }
        let bound = libdeflate_gzip_compress_bound(libdeflate, input.count)
        output.reserve(bound)
        output.withWriter { p in
            let written = libdeflate_gzip_compress(libdeflate, input.baseAddress, input.count, p, bound)
            precondition(written > 0, "libdeflate bound was too small")
            return p + written
        }
    }

    /// One gzip member by ISA-L in a single call; false if it did not fit the room reserved
    /// (stored blocks bound the output, so this does not happen; libdeflate then does the work).
    private func compressWithISAL(
        _ input: UnsafeRawBufferPointer, stream: UnsafeMutablePointer<isal_zstream>, into output: inout WriteBuffer
    ) -> Bool {
        // Input plus a stored block's header per 64 KiB, plus the gzip header and trailer.
        let bound = input.count + (input.count / 65_535 + 1) * 5 + 64
        output.reserve(bound)
        var fitted = false
        output.withWriter { p in
            isal_deflate_stateless_init(stream)
            stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: UInt8.self))
            stream.pointee.avail_in = UInt32(input.count)
            stream.pointee.next_out = p
            stream.pointee.avail_out = UInt32(bound)
            stream.pointee.level = 1
            stream.pointee.level_buf = isalBuffer
            stream.pointee.level_buf_size = isalBufferBytes
            stream.pointee.gzip_flag = UInt16(IGZIP_GZIP)
            stream.pointee.end_of_stream = 1
            stream.pointee.flush = UInt16(NO_FLUSH)
            guard isal_deflate_stateless(stream) == COMP_OK, stream.pointee.avail_in == 0 else { return p }
            fitted = true
            return p + (bound - Int(stream.pointee.avail_out))
        }
        return fitted
    }
}
