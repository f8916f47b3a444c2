import Testing

@testable import TelemetryFormats
import TelemetryModel

/// ``ParquetFileReader`` against files of our own ``ParquetFileWriter``: every value written is
/// read back, for every codec, over several row groups and pages, dictionary and PLAIN columns,
/// required and optional ones with nulls (files of pyarrow are read in
/// tests/e2e/test_verify_formats.py).
@Suite struct ParquetReaderTests {
    /// What a test wrote, column by column.
    struct Written {
        var seq: [Int64?] = []
        var maybe: [Int64?] = []
        var port: [Int32?] = []
        var host: [[UInt8]?] = []
        var note: [[UInt8]?] = []
        var ratio: [Double?] = []
        var up: [Bool?] = []
        var big: [Int64?] = []
    }

    static let schema = ParquetSchema([
        .int64("seq", .required),
        .int64("maybe", .optional),
        .int32("port", .optional, dictionary: true),
        .string("host", .required, dictionary: true),
        .string("note", .optional),
        .double("ratio"),
        .boolean("up"),
        .int64("big", .required, dictionary: true),
    ])

    /// `rows` rows in row groups of 1,000 and pages of 300 rows.
    static func write(rows: Int, compression: ParquetCompression) -> (bytes: [UInt8], written: Written) {
        let writer = ParquetFileWriter(schema: schema, options: ParquetWriterOptions(compression: compression, rowGroupRows: 1_000, pageRows: 300, parallelism: 1))
        var written = Written()
        var out = WriteBuffer()
        let c = writer.columns
        for i in 0..<rows {
            let seq = Int64(i) * 3 - 7
            c[0].append(seq)
            written.seq.append(seq)
            if i % 5 == 0 {
                c[1].appendNull()
                written.maybe.append(nil)
            } else {
                let value = Int64(i) &* 1_000_000_007 ^ 0x5555
                c[1].append(value)
                written.maybe.append(value)
            }
            if i % 7 == 3 {
                c[2].appendNull()
                written.port.append(nil)
            } else {
                let port = Int32([22, 80, 443, 8080, -1][i % 5])
                c[2].append(port)
                written.port.append(port)
            }
            let host = "host-\(i % 13).example"
            c[3].append(host)
            written.host.append(Array(host.utf8))
            switch i % 4 {
            case 0:
                c[4].appendNull()
                written.note.append(nil)
            case 1:
                c[4].append("")
                written.note.append([])
            default:
                let note = "n\(i) \u{e9}t\u{e9}, \"quoted\"\n"
                c[4].append(note)
                written.note.append(Array(note.utf8))
            }
            if i % 9 == 0 {
                c[5].appendNull()
                written.ratio.append(nil)
            } else {
                let ratio = Double(i) / 7 - 100
                c[5].append(ratio)
                written.ratio.append(ratio)
            }
            if i % 6 == 0 {
                c[6].appendNull()
                written.up.append(nil)
            } else {
                c[6].append(i % 4 == 1)
                written.up.append(i % 4 == 1)
            }
            let big = Int64.max - Int64(i % 3)
            c[7].append(big)
            written.big.append(big)
            writer.endRows(1, into: &out)
        }
        writer.finish(into: &out)
        return (out.bytes, written)
    }

    @Test("every column of every type reads back as written, for every codec", arguments: ParquetCompression.allCases)
    func roundTrip(compression: ParquetCompression) throws {
        let (bytes, written) = Self.write(rows: 2_500, compression: compression)
        let file = try ParquetFileReader(bytes: bytes)
        #expect(file.rowCount == 2_500)
        #expect(file.rowGroupCount == 3)
        #expect(file.metadata.rowGroups.map(\.numRows) == [1_000, 1_000, 500])
        #expect(file.metadata.createdBy == ParquetFileWriter.createdBy)
        #expect(file.columns.map(\.dottedPath) == ["seq", "maybe", "port", "host", "note", "ratio", "up", "big"])
        #expect(file.columns.map(\.maxDefinition) == [0, 1, 1, 0, 1, 1, 1, 0])
        #expect(file.columns.map(\.physicalType) == [.int64, .int64, .int32, .byteArray, .byteArray, .double, .boolean, .int64])
        // The codec each chunk was written with.
        #expect(Set(file.metadata.rowGroups.flatMap { $0.columns.map(\.codec) }) == [Int32(compression.codec)])

        #expect(try file.readColumn(["seq"]) == .int64(written.seq))
        #expect(try file.readColumn(["maybe"]) == .int64(written.maybe))
        #expect(try file.readColumn(["port"]) == .int32(written.port))
        #expect(try file.readColumn(["host"]) == .byteArray(written.host))
        #expect(try file.readColumn(["note"]) == .byteArray(written.note))
        #expect(try file.readColumn(["ratio"]) == .double(written.ratio))
        #expect(try file.readColumn(["up"]) == .boolean(written.up))
        #expect(try file.readColumn(["big"]) == .int64(written.big))

        // One row group alone.
        #expect(try file.readColumn(at: 0, rowGroup: 1) == .int64(Array(written.seq[1_000..<2_000])))
        #expect(try file.readColumn(at: 3, rowGroup: 2).strings == written.host[2_000...].map { $0.map { String(decoding: $0, as: UTF8.self) } })
        // Views of the values.
        #expect(try file.readColumn(["port"]).integers == written.port.map { $0.map(Int64.init) })
        #expect(try file.readColumn(["seq"]).strings == nil)
    }

    @Test("the dictionary and PLAIN encodings are both read: the dictionary columns carry a dictionary page, the others none")
    func encodingsInTheFile() throws {
        let (bytes, _) = Self.write(rows: 1_200, compression: .snappy)
        let file = try ParquetFileReader(bytes: bytes)
        for group in file.metadata.rowGroups {
            let dictionaries = group.columns.map { $0.dictionaryPageOffset != nil }
            #expect(dictionaries == [false, false, true, true, false, false, false, true])
            #expect(group.columns[3].encodings.contains(8))
        }
    }

    @Test("a dictionary column that outgrows its dictionary falls back to PLAIN within the chunk, and reads back")
    func dictionaryFallback() throws {
        let schema = ParquetSchema([.string("id", .optional, dictionary: true)])
        let writer = ParquetFileWriter(schema: schema, options: ParquetWriterOptions(compression: .zstd, rowGroupRows: 100_000, pageRows: 20_000, parallelism: 1))
        var out = WriteBuffer()
        var expected: [[UInt8]?] = []
        let rows = ParquetColumnState.dictionaryEntryLimit + 5_000
        for i in 0..<rows {
            if i % 1_000 == 999 {
                writer.columns[0].appendNull()
                expected.append(nil)
            } else {
                writer.columns[0].append("id-\(i)")
                expected.append(Array("id-\(i)".utf8))
            }
        }
        writer.endRows(rows, into: &out)
        writer.finish(into: &out)
        let file = try ParquetFileReader(bytes: out.bytes)
        #expect(file.metadata.rowGroups[0].columns[0].dictionaryPageOffset == nil)
        #expect(try file.readColumn(["id"]) == .byteArray(expected))
    }

    @Test("the flow encoder's file: slots, numbers, dictionary strings with nulls, a member of an optional group", arguments: ParquetCompression.allCases)
    func flowFile(compression: ParquetCompression) throws {
        let (vocabulary, events) = SampleFlows.make(count: 3_000)
        let encoder = FlowParquetEncoder(vocabulary: vocabulary, options: ParquetWriterOptions(compression: compression, rowGroupRows: 1_000, pageRows: 400))
        var out = WriteBuffer()
        events.withUnsafeBufferPointer { encoder.append($0.baseAddress!, count: $0.count, into: &out) }
        encoder.finish(into: &out)

        let file = try ParquetFileReader(bytes: out.bytes)
        #expect(file.rowCount == 3_000 && file.rowGroupCount == 3)
        #expect(file.columns.map(\.path) == FlowParquetEncoder.schema.columns.map(\.path))
        #expect(try file.readColumn(["generator_id"]).strings == Array(repeating: "gen-test", count: 3_000))
        #expect(try file.readColumn(["seq"]) == .int64(events.map(\.seq)))
        #expect(try file.readColumn(["session_id"]) == .int64(events.map(\.sessionID)))
        #expect(try file.readColumn(["start_ms"]) == .int64(events.map(\.startMs)))
        #expect(try file.readColumn(["packets_received"]) == .int32(events.map(\.packetsReceived)))
        #expect(try file.readColumn(["label"]).strings == events.map { "\($0.anomalies.primaryLabel.staticName)" })
        let kinds = try file.readColumn(["malformed_kind"]).strings
        #expect(kinds == events.map { $0.malformation.map { "\($0.kind.staticName)" } })
        #expect(kinds?.contains(nil) == true && kinds?.contains { $0 != nil } == true, "the sample holds malformed records and whole ones")
        // app_layer is an optional group: its members are null where the record lost it.
        let hosts = try #require(try file.readColumn(["app_layer", "host"]).strings)
        #expect(hosts.count == 3_000)
        for (host, event) in zip(hosts, events) {
            #expect((host == nil) == (MalformationPlan(event.malformation).missing == .appLayer))
        }
        // Lists are not flat columns.
        let error = #expect(throws: ParquetReadError.self) { try file.readColumn(["flags", "list", "element"]) }
        #expect(error?.code == .unsupported)
        #expect(error?.description.contains("flags.list.element") == true)
        let missing = #expect(throws: ParquetReadError.self) { try file.readColumn(["no_such"]) }
        #expect(missing?.code == .noSuchColumn)
    }

    @Test("Thrift compact reader: every field type the writer makes reads back; unknown fields of any type are skipped")
    func thriftRoundTrip() throws {
        let bytes = ThriftCompactWriter.encode { w in
            w.i32(1, -5)
            w.string(2, "name")
            w.bool(4, true)
            w.i64(20, Int64.min)
            w.structure(21) { $0.i32(1, 1) }
            w.list(22, i32: [1, -2, Int32.max])
            w.list(23, strings: Array(repeating: "x", count: 20))
            w.i8(24, -3)
        }
        var reader = ThriftCompactReader(bytes: bytes, range: 0..<bytes.count, context: "test")
        var seen: [Int16] = []
        var values: [String] = []
        try reader.readStruct("Test") { (r: inout ThriftCompactReader, id, type) throws(ParquetReadError) in
            seen.append(id)
            switch id {
            case 1: values.append(String(try r.i32(type, "1")))
            case 2: values.append(try r.string(type, "2"))
            case 4: values.append(String(try r.bool(type, "4")))
            case 20: values.append(String(try r.i64(type, "20")))
            case 22: values.append("\(try r.listOfI32(type, "22"))")
            case 23: values.append(String(try r.listOfStrings(type, "23").count))
            default: return false
            }
            return true
        }
        #expect(seen == [1, 2, 4, 20, 21, 22, 23, 24])
        #expect(values == ["-5", "name", "true", "\(Int64.min)", "[1, -2, 2147483647]", "20"])
        #expect(reader.position == bytes.count)

        // Types the writer never makes, skipped: double, map, set, uuid, list of structs with bools.
        let unknown = HandMadeParquet.unknownFields(from: 100)
        var skipping = ThriftCompactReader(bytes: unknown + [0], range: 0..<unknown.count + 1, context: "test")
        var ids: [Int16] = []
        try skipping.readStruct("Unknown") { (_: inout ThriftCompactReader, id, _) throws(ParquetReadError) in
            ids.append(id)
            return false
        }
        #expect(ids == Array(100..<111))
        #expect(skipping.position == unknown.count + 1)
    }

    @Test("RLE / bit-packed hybrid decoder reads what the encoder writes, at every bit width")
    func rleRoundTrip() throws {
        for width in 0...16 {
            let maximum = width == 0 ? 0 : (1 << width) - 1
            var values: [UInt32] = []
            for i in 0..<1_000 {
                // Runs (RLE) and noise (bit-packed), mixed.
                values.append(UInt32(i % 100 < 40 ? (i / 100) % (maximum + 1) : (i * 7919) % (maximum + 1)))
            }
            var out = WriteBuffer(capacity: 64)
            values.withUnsafeBufferPointer { RLEHybridEncoder.encode($0, bitWidth: width, into: &out) }
            var decoded: [UInt32] = []
            let used = try RLEHybridDecoder.decode(out.bytes[...], bitWidth: width, count: values.count, into: &decoded, what: "test")
            #expect(decoded == values, "width \(width)")
            #expect(used <= out.count)
        }
        var decoded: [UInt32] = []
        let short = #expect(throws: ParquetReadError.self) {
            try RLEHybridDecoder.decode([0x03, 0xAA][...], bitWidth: 1, count: 9, into: &decoded, what: "levels")
        }
        #expect(short?.description.contains("levels: the data ends after 8 of 9 values") == true)
        let wide = #expect(throws: ParquetReadError.self) {
            try RLEHybridDecoder.decode([0x02, 0x07][...], bitWidth: 2, count: 1, into: &decoded, what: "levels")
        }
        #expect(wide?.code == .badPage)
    }
}
