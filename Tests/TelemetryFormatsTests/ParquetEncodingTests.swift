import TelemetryModel
import Testing

@testable import TelemetryFormats

/// The building blocks of the Parquet writer against hand-computed bytes (whole files are read
/// back by pyarrow and duckdb in tests/e2e/test_parquet.py).
@Suite struct ParquetEncodingTests {
    static func rle(_ values: [UInt8], width: Int) -> [UInt8] {
        var out = WriteBuffer(capacity: 64)
        values.withUnsafeBufferPointer { RLEHybridEncoder.encode($0, bitWidth: width, into: &out) }
        return out.bytes
    }

    @Test("Thrift compact protocol: short and long field headers, zigzag varints, strings, bools, nested structs, lists")
    func thriftCompact() {
        let bytes = ThriftCompactWriter.encode { w in
            w.i32(1, 2)
            w.string(2, "ab")
            w.bool(4, true)
            w.i64(20, -1)
            w.structure(21) { $0.i32(1, 1) }
            w.list(22, i32: [1, 2])
            w.list(23, strings: Array(repeating: "x", count: 15))
        }
        let list15: [UInt8] = [0x19, 0xF8, 0x0F] + Array(repeating: [0x01, 0x78], count: 15).flatMap { $0 }
        let expected: [UInt8] = [
            0x15, 0x04,  // field 1 i32: zigzag(2) = 4
            0x18, 0x02, 0x61, 0x62,  // field 2 binary "ab"
            0x21,  // field 4 (delta 2) bool true
            0x06, 0x28, 0x01,  // field 20: delta 16 needs the long form; zigzag(-1) = 1
            0x1C, 0x15, 0x02, 0x00,  // field 21 struct { 1: i32 1 } stop
            0x19, 0x25, 0x02, 0x04,  // field 22 list<i32>[2]
        ] + list15 + [0x00]
        #expect(bytes == expected)
    }

    @Test("RLE / bit-packed hybrid: runs of eight or more are RLE, the rest bit-packed in padded groups of eight")
    func rleHybrid() {
        #expect(Self.rle(Array(repeating: 1, count: 10), width: 1) == [0x14, 0x01])
        #expect(Self.rle([0, 1, 0, 1, 0, 1, 0, 1, 1], width: 1) == [0x05, 0xAA, 0x01])
        #expect(Self.rle([0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3], width: 2) == [0x10, 0x00, 0x03, 0x39, 0x00])
        // A run of 300 needs a two-byte varint header: 600 = 0xD8 0x04.
        #expect(Self.rle(Array(repeating: 2, count: 300), width: 2) == [0xD8, 0x04, 0x02])
        #expect(RLEHybridEncoder.bitWidth(0) == 0)
        #expect(RLEHybridEncoder.bitWidth(1) == 1)
        #expect(RLEHybridEncoder.bitWidth(2) == 2)
        #expect(RLEHybridEncoder.bitWidth(255) == 8)
        #expect(RLEHybridEncoder.bitWidth(256) == 9)
    }

    @Test("Schema flattening: definition and repetition levels of optional fields, groups and three-level lists")
    func schemaLevels() {
        let schema = FlowParquetEncoder.schema
        #expect(schema.columns.count == 33)
        // Without labels: no label, anomalies, malformed_kind, incident_id, technique or stage.
        #expect(FlowParquetEncoder.schema(labels: false).columns.map { $0.path[0] } == schema.columns.map { $0.path[0] }.filter {
            !["label", "anomalies", "malformed_kind", "incident_id", "technique", "stage"].contains($0)
        })
        #expect(FlowParquetEncoder.schema(labels: false).columns.count == 27)
        func levels(_ path: String...) -> (UInt8, UInt8)? {
            schema.columns.first { $0.path == path }.map { ($0.maxDefinition, $0.maxRepetition) }
        }
        #expect(levels("timestamp")! == (1, 0))
        #expect(levels("seq")! == (0, 0))
        #expect(levels("flags", "list", "element")! == (2, 1))
        #expect(levels("anomalies", "list", "element")! == (1, 1))
        #expect(levels("app_layer", "host")! == (1, 0))
        #expect(levels("tags", "vpc_id")! == (2, 0))
        #expect(levels("session_id")! == (0, 0))
        #expect(levels("incident_id")! == (1, 0))
    }

    @Test("A dictionary column keeps every value when it falls back to PLAIN, in order, with statistics")
    func dictionaryFallback() {
        let descriptor = ParquetColumnDescriptor(path: ["v"], physicalType: .byteArray, logicalType: .string, maxDefinition: 1, maxRepetition: 0, dictionary: true)
        let column = ParquetColumnWriter(descriptor)
        let count = ParquetColumnState.dictionaryEntryLimit + 1_000
        for i in 0..<count {
            if i % 1000 == 0 { column.appendNull() } else { column.append("v\(i % (count - 5))") }
        }
        let dictionaryEnabled = column.state.dictionaryEnabled
        #expect(!dictionaryEnabled)
        #expect(column.rowCount == count)
        let nullCount = column.state.nullCount
        #expect(nullCount == (count + 999) / 1000)
        // PLAIN values: 4-byte length then the bytes, in append order.
        var decoded: [String] = []
        var offset = 0
        column.state.plain.withBytes { raw in
            while offset < raw.count {
                let length = Int(raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
                decoded.append(String(decoding: raw[offset + 4..<offset + 4 + length], as: UTF8.self))
                offset += 4 + length
            }
        }
        let expected = (0..<count).filter { $0 % 1000 != 0 }.map { "v\($0 % (count - 5))" }
        #expect(decoded == expected)
        let stats = column.state.statistics.encoded(.byteArray)
        #expect(stats.map { String(decoding: $0.min, as: UTF8.self) } == expected.min { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        #expect(stats.map { String(decoding: $0.max, as: UTF8.self) } == expected.max { $0.utf8.lexicographicallyPrecedes($1.utf8) })
    }
}
