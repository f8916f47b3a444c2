@testable import TelemetryFormats
import TelemetryModel

/// Parquet files of one INT64 column `v` built page by page, for what our writer never makes
/// (data pages v2, PLAIN_DICTIONARY, Thrift fields of every type) and for damage of every kind.
enum HandMadeParquet {
    /// The definition levels of `values` (1 present, 0 null) as the RLE / bit-packed hybrid.
    static func levels(_ values: [Int64?]) -> [UInt8] {
        let levels: [UInt8] = values.map { $0 == nil ? 0 : 1 }
        var out = WriteBuffer(capacity: 64)
        levels.withUnsafeBufferPointer { RLEHybridEncoder.encode($0, bitWidth: 1, into: &out) }
        return out.bytes
    }

    static func plain(_ values: [Int64]) -> [UInt8] {
        values.flatMap { value in (0..<8).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) } }
    }

    static func littleEndian(_ value: UInt32) -> [UInt8] {
        (0..<4).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
    }

    static func compress(_ bytes: [UInt8], _ compression: ParquetCompression) -> [UInt8] {
        guard compression != .none else { return bytes }
        var out = WriteBuffer(capacity: 64)
        bytes.withUnsafeBytes { ParquetCompressor(compression).compress($0, into: &out) }
        return out.bytes
    }

    /// A page: its header (with `extra` bytes of fields spliced in before the stop) and its body.
    static func page(type: Int32, uncompressed: Int, body: [UInt8], extra: [UInt8] = [], _ header: (inout ThriftCompactWriter) -> Void) -> [UInt8] {
        var bytes = ThriftCompactWriter.encode { page in
            page.i32(1, type)
            page.i32(2, Int32(uncompressed))
            page.i32(3, Int32(body.count))
            header(&page)
        }
        bytes.removeLast()
        return bytes + extra + [0] + body
    }

    /// A v1 data page: levels (with their 4-byte length) when `optional`, then `values` PLAIN.
    static func dataPage(
        _ values: [Int64?], optional: Bool, encoding: Int32 = 0, definitionEncoding: Int32 = 3, numValues: Int32? = nil, extra: [UInt8] = [],
        compression: ParquetCompression = .none
    ) -> [UInt8] {
        var body: [UInt8] = []
        if optional {
            let levels = levels(values)
            body = littleEndian(UInt32(levels.count)) + levels
        }
        body += plain(values.compactMap { $0 })
        return page(type: 0, uncompressed: body.count, body: compress(body, compression), extra: extra) { page in
            page.structure(5) { header in
                header.i32(1, numValues ?? Int32(values.count))
                header.i32(2, encoding)
                header.i32(3, definitionEncoding)
                header.i32(4, 3)
            }
        }
    }

    /// A v2 data page: levels as they are, then the values, compressed with `compression` when
    /// `compressed`.
    static func dataPageV2(_ values: [Int64?], optional: Bool, compression: ParquetCompression, compressed: Bool) -> [UInt8] {
        let levels = optional ? levels(values) : []
        let raw = plain(values.compactMap { $0 })
        let stored = compressed ? compress(raw, compression) : raw
        return page(type: 3, uncompressed: levels.count + raw.count, body: levels + stored) { page in
            page.structure(8) { header in
                header.i32(1, Int32(values.count))
                header.i32(2, Int32(values.count(where: { $0 == nil })))
                header.i32(3, Int32(values.count))
                header.i32(4, 0)
                header.i32(5, Int32(levels.count))
                header.i32(6, 0)
                if !compressed { header.bool(7, false) }
            }
        }
    }

    static func dictionaryPage(_ entries: [Int64], encoding: Int32 = 0, compression: ParquetCompression = .none) -> [UInt8] {
        let body = plain(entries)
        return page(type: 2, uncompressed: body.count, body: compress(body, compression)) { page in
            page.structure(7) { header in
                header.i32(1, Int32(entries.count))
                header.i32(2, encoding)
            }
        }
    }

    /// A v1 data page of dictionary indices (nil: a null) in `width` bits.
    static func indexPage(_ indices: [UInt32?], optional: Bool, width: Int, encoding: Int32 = 8, compression: ParquetCompression = .none) -> [UInt8] {
        var body: [UInt8] = []
        if optional {
            let levels = levels(indices.map { $0.map(Int64.init) })
            body = littleEndian(UInt32(levels.count)) + levels
        }
        var out = WriteBuffer(capacity: 64)
        indices.compactMap { $0 }.withUnsafeBufferPointer { RLEHybridEncoder.encode($0, bitWidth: width, into: &out) }
        body += [UInt8(width)] + out.bytes
        return page(type: 0, uncompressed: body.count, body: compress(body, compression)) { page in
            page.structure(5) { header in
                header.i32(1, Int32(indices.count))
                header.i32(2, encoding)
                header.i32(3, 3)
                header.i32(4, 3)
            }
        }
    }

    /// A file of one row group holding `pages` (the first `dictionaryPages` of them dictionary
    /// pages) for `rows` rows. The other arguments replace what the footer would say.
    static func file(
        _ pages: [[UInt8]], rows: Int64, optional: Bool = true, codec: Int32 = 0, dictionaryPages: Int = 0, numValues: Int64? = nil,
        dataPageOffset: Int64? = nil, totalCompressed: Int64? = nil, footerExtra: [UInt8] = []
    ) -> [UInt8] {
        let body = pages.flatMap { $0 }
        let dictionaryLength = pages.prefix(dictionaryPages).reduce(0) { $0 + $1.count }
        let dataOffset = dataPageOffset ?? Int64(4 + dictionaryLength)
        var footer = ThriftCompactWriter.encode { file in
            file.i32(1, 1)
            file.list(2, of: [0, 1]) { element, index in
                if index == 0 {
                    element.string(4, "schema")
                    element.i32(5, 1)
                } else {
                    element.i32(1, 2)
                    element.i32(3, optional ? 1 : 0)
                    element.string(4, "v")
                }
            }
            file.i64(3, rows)
            file.list(4, of: [0]) { group, _ in
                group.list(1, of: [0]) { chunk, _ in
                    chunk.i64(2, dataOffset)
                    chunk.structure(3) { meta in
                        meta.i32(1, 2)
                        meta.list(2, i32: [0, 3, 8])
                        meta.list(3, strings: ["v"])
                        meta.i32(4, codec)
                        meta.i64(5, numValues ?? rows)
                        meta.i64(6, Int64(body.count))
                        meta.i64(7, totalCompressed ?? Int64(body.count))
                        meta.i64(9, dataOffset)
                        if dictionaryPages > 0 { meta.i64(11, 4) }
                    }
                }
                group.i64(2, Int64(body.count))
                group.i64(3, rows)
            }
        }
        footer.removeLast()
        footer += footerExtra + [0]
        return Array("PAR1".utf8) + body + footer + littleEndian(UInt32(footer.count)) + Array("PAR1".utf8)
    }

    /// Fields 'id' on of every Thrift type, in the long form (absolute ids): double, map, set,
    /// list of structs with bools, bool, byte, i16, binary, uuid, empty map, nested struct.
    static func unknownFields(from id: Int16) -> [UInt8] {
        func header(_ type: UInt8, _ offset: Int16) -> [UInt8] {
            var out: [UInt8] = [type]
            var value = UInt64((id + offset) * 2)
            while value >= 0x80 {
                out.append(UInt8(truncatingIfNeeded: value) | 0x80)
                value >>= 7
            }
            return out + [UInt8(value)]
        }
        var bytes: [UInt8] = []
        bytes += header(7, 0) + [0, 0, 0, 0, 0, 0, 0xF0, 0x3F]
        bytes += header(11, 1) + [0x02, 0x85, 0x01, 0x61, 0x02, 0x01, 0x62, 0x04]
        bytes += header(10, 2) + [0x36, 0x02, 0x04, 0x06]
        bytes += header(9, 3) + [0x1C, 0x11, 0x19, 0x21, 0x01, 0x02, 0x00]
        bytes += header(2, 4)
        bytes += header(3, 5) + [0x7F]
        bytes += header(4, 6) + [0x03]
        bytes += header(8, 7) + [0x03, 0x78, 0x79, 0x7A]
        bytes += header(13, 8) + Array(repeating: 0xAB, count: 16)
        bytes += header(11, 9) + [0x00]
        bytes += header(12, 10) + [0x1C, 0x15, 0x02, 0x00, 0x00]
        return bytes
    }
}
