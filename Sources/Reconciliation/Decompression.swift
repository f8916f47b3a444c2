import CDeflate
import CZstd

/// Decompresses whole objects: gzip (every member, as `zcat` does) and zstd (every frame).
enum Decompression {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func gunzip(_ input: [UInt8]) throws(Failure) -> [UInt8] {
        guard let decompressor = libdeflate_alloc_decompressor() else { throw Failure(description: "out of memory") }
        defer { libdeflate_free_decompressor(decompressor) }
        var output: [UInt8] = []
        var offset = 0
        var room = max(input.count * 8, 1 << 20)
        while offset < input.count {
            var buffer = [UInt8](repeating: 0, count: room)
            var consumed = 0
            var produced = 0
            let result = input.withUnsafeBytes { source in
                buffer.withUnsafeMutableBytes { target in
                    libdeflate_gzip_decompress_ex(decompressor, source.baseAddress! + offset, source.count - offset, target.baseAddress, target.count, &consumed, &produced)
                }
            }
            switch result {
            case LIBDEFLATE_SUCCESS:
                output.append(contentsOf: buffer[0..<produced])
                offset += consumed
            case LIBDEFLATE_INSUFFICIENT_SPACE:
                guard room < 1 << 34 else { throw Failure(description: "a gzip member larger than 16 GiB") }
                room *= 2
            default:
                throw Failure(description: "not valid gzip at byte \(offset) (libdeflate result \(result.rawValue))")
            }
        }
        return output
    }

    static func unzstd(_ input: [UInt8]) throws(Failure) -> [UInt8] {
        guard let stream = ZSTD_createDStream() else { throw Failure(description: "out of memory") }
        defer { ZSTD_freeDStream(stream) }
        ZSTD_initDStream(stream)
        var output: [UInt8] = []
        let chunk = ZSTD_DStreamOutSize()
        var buffer = [UInt8](repeating: 0, count: chunk)
        var last = 0
        var failure: String?
        input.withUnsafeBytes { (source: UnsafeRawBufferPointer) in
            var inBuffer = ZSTD_inBuffer(src: source.baseAddress, size: source.count, pos: 0)
            while inBuffer.pos < inBuffer.size {
                var produced = 0
                let result = buffer.withUnsafeMutableBytes { target in
                    var outBuffer = ZSTD_outBuffer(dst: target.baseAddress, size: target.count, pos: 0)
                    let result = ZSTD_decompressStream(stream, &outBuffer, &inBuffer)
                    produced = outBuffer.pos
                    return result
                }
                if ZSTD_isError(result) != 0 {
                    failure = "not valid zstd: \(String(cString: ZSTD_getErrorName(result)))"
                    return
                }
                output.append(contentsOf: buffer[0..<produced])
                last = result
            }
        }
        if let failure { throw Failure(description: failure) }
        guard last == 0 else { throw Failure(description: "zstd data ends inside a frame") }
        return output
    }
}
