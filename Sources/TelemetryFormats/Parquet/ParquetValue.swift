/// A value type a Parquet column is read into: how a page of its PLAIN-encoded values (or of
/// another encoding of its own) decodes, every read bounds-checked.
protocol ParquetValue: Sendable {
    /// Decodes `count` values in `encoding` from the start of `data`; `what` names the page.
    static func decode(_ data: ArraySlice<UInt8>, count: Int, encoding: Int32, what: String) throws(ParquetReadError) -> [Self]
}

extension ParquetValue {
    static func unsupported(_ encoding: Int32, _ what: String) -> ParquetReadError {
        ParquetReadError(.unsupported, "\(what): values in \(ParquetEncodingName.of(encoding)), which this reader does not read")
    }

    static func short(_ what: String, needed: Int, count: Int, have: Int) -> ParquetReadError {
        ParquetReadError(.badPage, "\(what): \(count) values need \(needed) bytes, but the page holds \(have)")
    }
}

/// Fixed-width little-endian numbers.
protocol ParquetFixedWidthValue: ParquetValue, BitwiseCopyable {}

extension ParquetFixedWidthValue {
    static func decode(_ data: ArraySlice<UInt8>, count: Int, encoding: Int32, what: String) throws(ParquetReadError) -> [Self] {
        guard encoding == ParquetEncoding.plain else { throw unsupported(encoding, what) }
        let width = MemoryLayout<Self>.size
        guard count <= data.count / width else { throw short(what, needed: count * width, count: count, have: data.count) }
        return data.withUnsafeBytes { raw in
            (0..<count).map { raw.loadUnaligned(fromByteOffset: $0 * width, as: Self.self) }
        }
    }
}

extension Int32: ParquetFixedWidthValue {}
extension Int64: ParquetFixedWidthValue {}
extension Double: ParquetFixedWidthValue {}

extension Bool: ParquetValue {
    /// PLAIN: one bit per value, LSB first. RLE: a 4-byte length, then the hybrid with width 1.
    static func decode(_ data: ArraySlice<UInt8>, count: Int, encoding: Int32, what: String) throws(ParquetReadError) -> [Bool] {
        switch encoding {
        case ParquetEncoding.plain:
            guard count <= data.count * 8 else { throw short(what, needed: (count + 7) / 8, count: count, have: data.count) }
            let start = data.startIndex
            return (0..<count).map { data[start + $0 >> 3] >> UInt8($0 & 7) & 1 == 1 }
        case ParquetEncoding.rle:
            guard data.count >= 4 else { throw short(what, needed: 4, count: count, have: data.count) }
            let s = data.startIndex
            let length = data.littleEndianLength(at: s)
            guard length <= data.count - 4 else { throw short(what, needed: length + 4, count: count, have: data.count) }
            var bits: [UInt32] = []
            try RLEHybridDecoder.decode(data[s + 4..<s + 4 + length], bitWidth: 1, count: count, into: &bits, what: what)
            return bits.map { $0 == 1 }
        default:
            throw unsupported(encoding, what)
        }
    }
}

extension Array: ParquetValue where Element == UInt8 {
    /// PLAIN byte arrays: a 4-byte little-endian length, then the bytes, for each value.
    static func decode(_ data: ArraySlice<UInt8>, count: Int, encoding: Int32, what: String) throws(ParquetReadError) -> [[UInt8]] {
        guard encoding == ParquetEncoding.plain else { throw unsupported(encoding, what) }
        // Every value takes its 4-byte length at least.
        guard count <= data.count / 4 else { throw short(what, needed: count * 4, count: count, have: data.count) }
        var values: [[UInt8]] = []
        values.reserveCapacity(count)
        var i = data.startIndex
        let end = data.endIndex
        for n in 0..<count {
            guard end - i >= 4 else {
                throw ParquetReadError(.badPage, "\(what): the page ends inside value \(n) of \(count)")
            }
            let length = data.littleEndianLength(at: i)
            i += 4
            guard length <= end - i else {
                throw ParquetReadError(.badPage, "\(what): value \(n) of \(count) claims \(length) bytes, but only \(end - i) are left")
            }
            values.append(Array(data[i..<i + length]))
            i += length
        }
        return values
    }
}
