import CDeflate
import CLz4
import CSnappy
import CZstd
import TelemetryModel

/// The page compression codecs this writer offers (`CompressionCodec`), through Debian's C
/// libraries: snappy, libdeflate (gzip), libzstd, liblz4 (raw block format, `LZ4_RAW`).
public enum ParquetCompression: String, Sendable, CaseIterable {
    case none
    case snappy
    case gzip
    case zstd
    case lz4Raw = "lz4_raw"

    /// Names accepted in configuration (`uncompressed` means none; `lz4` means lz4_raw, the LZ4
    /// codec current readers agree on).
    public init?(name: String) {
        switch name.lowercased() {
        case "none", "uncompressed": self = .none
        case "snappy": self = .snappy
        case "gzip", "gz": self = .gzip
        case "zstd": self = .zstd
        case "lz4", "lz4_raw", "lz4raw": self = .lz4Raw
        default: return nil
        }
    }

    public static let allowedNames = "none, snappy, gzip, zstd, lz4 (lz4_raw)"

    var codec: Int32 {
        switch self {
        case .none: 0
        case .snappy: 1
        case .gzip: 2
        case .zstd: 6
        case .lz4Raw: 7
        }
    }

    /// The codec with this id, if it is one of ours.
    init?(codec: Int32) {
        guard let known = Self.allCases.first(where: { $0.codec == codec }) else { return nil }
        self = known
    }
}

/// Compresses pages with one codec; owns the codec's state, so one per writer thread.
final class ParquetCompressor {
    let compression: ParquetCompression
    private var zstd: OpaquePointer?
    private var deflate: OpaquePointer?
    private let level: Int32

    init(_ compression: ParquetCompression, level: Int? = nil) {
        self.compression = compression
        switch compression {
        case .zstd:
            zstd = ZSTD_createCCtx()
            self.level = Int32(level ?? 1)
        case .gzip:
            self.level = Int32(level ?? 1)
            deflate = libdeflate_alloc_compressor(self.level)
        default:
            self.level = 0
        }
    }

    deinit {
        if let zstd { ZSTD_freeCCtx(zstd) }
        if let deflate { libdeflate_free_compressor(deflate) }
    }

    /// Appends the compressed form of `input` to `output`.
    func compress(_ input: UnsafeRawBufferPointer, into output: inout WriteBuffer) {
        let n = input.count
        switch compression {
        case .none:
            output.append(input)
        case .snappy:
            var length = snappy_max_compressed_length(n)
            output.reserve(length)
            output.withWriter { p in
                let status = p.withMemoryRebound(to: CChar.self, capacity: length) { out in
                    input.withMemoryRebound(to: CChar.self) { snappy_compress($0.baseAddress, n, out, &length) }
                }
                precondition(status == SNAPPY_OK, "snappy: status \(status)")
                return p + length
            }
        case .gzip:
            let bound = libdeflate_gzip_compress_bound(deflate, n)
            output.reserve(bound)
            output.withWriter { p in
                let written = libdeflate_gzip_compress(deflate, input.baseAddress, n, p, bound)
                precondition(written > 0, "libdeflate bound was too small")
                return p + written
            }
        case .zstd:
            let bound = ZSTD_compressBound(n)
            output.reserve(bound)
            output.withWriter { p in
                let written = ZSTD_compressCCtx(zstd, p, bound, input.baseAddress, n, level)
                precondition(ZSTD_isError(written) == 0, "zstd: \(String(cString: ZSTD_getErrorName(written)))")
                return p + written
            }
        case .lz4Raw:
            let bound = Int(LZ4_compressBound(Int32(n)))
            output.reserve(bound)
            output.withWriter { p in
                let written = p.withMemoryRebound(to: CChar.self, capacity: bound) { out in
                    input.withMemoryRebound(to: CChar.self) { LZ4_compress_default($0.baseAddress, out, Int32(n), Int32(bound)) }
                }
                precondition(written > 0 || n == 0, "lz4: compression failed")
                return p + Int(written)
            }
        }
    }
}
