import CDeflate
import CLz4
import CSnappy
import CZstd

/// Decompresses pages for the reader: each codec's output must be exactly the size the page
/// header states (a larger claim than ``maximumPageSize`` is refused before anything is
/// allocated). Owns a gzip decompressor, so one per reading thread.
final class ParquetDecompressor {
    /// Pages larger than this (uncompressed) are refused: no writer makes them, and a crafted
    /// header could otherwise ask for any amount of memory.
    static let maximumPageSize = 1 << 30

    private var deflate: OpaquePointer?

    init() {}

    deinit {
        if let deflate { libdeflate_free_decompressor(deflate) }
    }

    /// Codec names (`CompressionCodec`), for messages.
    static func codecName(_ codec: Int32) -> String {
        switch codec {
        case 0: "UNCOMPRESSED"
        case 1: "SNAPPY"
        case 2: "GZIP"
        case 3: "LZO"
        case 4: "BROTLI"
        case 5: "LZ4"
        case 6: "ZSTD"
        case 7: "LZ4_RAW"
        default: "codec \(codec)"
        }
    }

    /// The codec of id `codec` (the writer's codecs are the ones read); `what` names the chunk or
    /// page in the error when it is another.
    static func compression(of codec: Int32, what: String) throws(ParquetReadError) -> ParquetCompression {
        guard let compression = ParquetCompression(codec: codec) else {
            throw ParquetReadError(.unsupported, "\(what): compressed with \(codecName(codec)), which this reader does not read (UNCOMPRESSED, SNAPPY, GZIP, ZSTD, LZ4_RAW)")
        }
        return compression
    }

    /// The `size` bytes `input` decompresses to with `codec`; `what` names the page in errors.
    func decompress(_ input: ArraySlice<UInt8>, codec: Int32, size: Int, what: String) throws(ParquetReadError) -> ArraySlice<UInt8> {
        guard size >= 0, size <= Self.maximumPageSize else {
            throw ParquetReadError(.badPage, "\(what): an uncompressed size of \(size) bytes (at most \(Self.maximumPageSize) read)")
        }
        let compression = try Self.compression(of: codec, what: what)
        if compression == .none {
            guard input.count == size else {
                throw ParquetReadError(.badPage, "\(what): \(input.count) bytes stored uncompressed, but the header says \(size)")
            }
            return input
        }
        if size == 0 { return [] }
        guard !input.isEmpty else { throw ParquetReadError(.decompression, "\(what): no compressed bytes for \(size) bytes of data") }
        var output = [UInt8](repeating: 0, count: size)
        var failure: String?
        input.withUnsafeBytes { source in
            output.withUnsafeMutableBytes { target in
                failure = run(compression, source, target)
            }
        }
        if let failure { throw ParquetReadError(.decompression, "\(what): \(Self.codecName(codec)): \(failure)") }
        return output[...]
    }

    /// Decompresses `source` into all of `target`; a message when that fails or the sizes differ.
    private func run(_ compression: ParquetCompression, _ source: UnsafeRawBufferPointer, _ target: UnsafeMutableRawBufferPointer) -> String? {
        let expected = target.count
        switch compression {
        case .snappy:
            var length = 0
            let input = source.baseAddress!.assumingMemoryBound(to: CChar.self)
            guard snappy_uncompressed_length(input, source.count, &length) == SNAPPY_OK else { return "not valid snappy data" }
            guard length == expected else { return "decompresses to \(length) bytes, but the header says \(expected)" }
            let status = snappy_uncompress(input, source.count, target.baseAddress!.assumingMemoryBound(to: CChar.self), &length)
            return status == SNAPPY_OK ? nil : "not valid snappy data (status \(status.rawValue))"
        case .gzip:
            if deflate == nil { deflate = libdeflate_alloc_decompressor() }
            guard let deflate else { return "out of memory" }
            var produced = 0
            let result = libdeflate_gzip_decompress(deflate, source.baseAddress, source.count, target.baseAddress, expected, &produced)
            switch result {
            case LIBDEFLATE_SUCCESS:
                return produced == expected ? nil : "decompresses to \(produced) bytes, but the header says \(expected)"
            case LIBDEFLATE_INSUFFICIENT_SPACE:
                return "decompresses to more than the \(expected) bytes the header says"
            default:
                return "not valid gzip data (libdeflate result \(result.rawValue))"
            }
        case .zstd:
            let produced = ZSTD_decompress(target.baseAddress, expected, source.baseAddress, source.count)
            if ZSTD_isError(produced) != 0 { return "not valid zstd data: \(String(cString: ZSTD_getErrorName(produced)))" }
            return produced == expected ? nil : "decompresses to \(produced) bytes, but the header says \(expected)"
        case .lz4Raw:
            guard source.count <= Int(Int32.max), expected <= Int(Int32.max) else { return "a page too large for LZ4" }
            let produced = LZ4_decompress_safe(
                source.baseAddress!.assumingMemoryBound(to: CChar.self), target.baseAddress!.assumingMemoryBound(to: CChar.self),
                Int32(source.count), Int32(expected)
            )
            if produced < 0 { return "not valid LZ4 block data" }
            return Int(produced) == expected ? nil : "decompresses to \(produced) bytes, but the header says \(expected)"
        case .none:
            return nil  // never asked: stored pages are returned as they are
        }
    }
}
