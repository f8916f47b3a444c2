import Testing

@testable import TelemetryFormats

/// ``ParquetFileReader`` on files it must refuse (cut short, bad magic, a footer length past the
/// file, garbage in the footer or the pages, offsets outside the file, codecs and encodings it
/// does not read, pages whose sizes do not add up): a ``ParquetReadError`` naming the problem,
/// never a crash. And on hand-made files of what our writer never makes (data pages v2,
/// PLAIN_DICTIONARY, Thrift fields of every type): the values.
@Suite struct ParquetReaderDamageTests {
    /// A deterministic stream of numbers (SplitMix64).
    struct Noise {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    static let sample = ParquetReaderTests.write(rows: 700, compression: .snappy)

    static func footerRange(_ bytes: [UInt8]) -> Range<Int> {
        let n = bytes.count
        let length = Int(bytes[n - 8]) | Int(bytes[n - 7]) << 8 | Int(bytes[n - 6]) << 16 | Int(bytes[n - 5]) << 24
        return n - 8 - length..<n - 8
    }

    /// The error of opening `bytes` and reading every column, or nil when all of it reads (then
    /// every column has a value per row).
    static func readAll(_ bytes: [UInt8]) -> ParquetReadError? {
        do throws(ParquetReadError) {
            let file = try ParquetFileReader(bytes: bytes)
            for index in file.columns.indices {
                let values = try file.readColumn(at: index)
                #expect(Int64(values.count) == file.rowCount)
            }
            return nil
        } catch {
            #expect(!error.description.isEmpty)
            return error
        }
    }

    static func expectError(_ bytes: [UInt8], _ code: ParquetReadError.Code, _ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let error = readAll(bytes)
        #expect(error?.code == code, "\(error?.description ?? "no error")", sourceLocation: sourceLocation)
        #expect(error?.description.contains(text) == true, "\(error?.description ?? "no error")", sourceLocation: sourceLocation)
    }

    // MARK: - Damaged files of our writer

    @Test("a file cut short anywhere is not Parquet")
    func truncated() {
        let bytes = Self.sample.bytes
        #expect(Self.readAll(bytes) == nil)
        for length in 0..<bytes.count {
            let error = Self.readAll(Array(bytes.prefix(length)))
            #expect(error?.code == .notParquet, "cut at \(length): \(error?.description ?? "read")")
        }
        #expect(Self.readAll(Array(bytes.prefix(11)))?.description.contains("11 bytes are too few") == true)
        #expect(Self.readAll(Array(bytes.prefix(500)))?.description.contains("does not end with PAR1") == true)
    }

    @Test("a file missing bytes between its magic numbers: offsets point elsewhere, and reading its columns fails")
    func bytesMissingInTheMiddle() {
        let bytes = Self.sample.bytes
        for cut in [1, 2, 3, 5, 8, 13, 100] {
            let damaged = Array(bytes[0..<4]) + Array(bytes[(4 + cut)...])
            let error = Self.readAll(damaged)
            #expect(error != nil, "\(cut) bytes missing")
            #expect([.badMetadata, .badPage, .outOfBounds, .decompression, .unsupported].contains(error?.code), "\(error?.description ?? "")")
        }
    }

    @Test("bad magic at either end")
    func badMagic() {
        var start = Self.sample.bytes
        start[1] = UInt8(ascii: "X")
        Self.expectError(start, .notParquet, "does not start with PAR1")
        var end = Self.sample.bytes
        end[end.count - 1] = UInt8(ascii: "2")
        Self.expectError(end, .notParquet, "does not end with PAR1")
        var encrypted = Self.sample.bytes
        encrypted[encrypted.count - 1] = UInt8(ascii: "E")
        Self.expectError(encrypted, .unsupported, "encrypted")
    }

    @Test("a footer length past the file, or zero")
    func footerLength() {
        let bytes = Self.sample.bytes
        for length in [UInt32(bytes.count - 11), UInt32(bytes.count), UInt32.max, 0] {
            var damaged = bytes
            damaged.replaceSubrange(bytes.count - 8..<bytes.count - 4, with: HandMadeParquet.littleEndian(length))
            Self.expectError(damaged, .badFooter, "the footer's length is \(length) bytes")
        }
        // One byte short: the footer starts a byte late, inside the Thrift data.
        var short = bytes
        let footer = Self.footerRange(bytes)
        short.replaceSubrange(bytes.count - 8..<bytes.count - 4, with: HandMadeParquet.littleEndian(UInt32(footer.count - 1)))
        #expect(Self.readAll(short) != nil)
    }

    @Test("garbage in the footer: a typed error or a file whose every column reads whole")
    func garbageFooter() {
        let bytes = Self.sample.bytes
        let footer = Self.footerRange(bytes)
        var noise = Noise(state: 42)
        var failures: [ParquetReadError.Code: Int] = [:]
        for _ in 0..<1_500 {
            var damaged = bytes
            for _ in 0...noise.below(4) {
                damaged[footer.lowerBound + noise.below(footer.count)] = UInt8(truncatingIfNeeded: noise.next())
            }
            if let error = Self.readAll(damaged) { failures[error.code, default: 0] += 1 }
        }
        #expect(failures.values.reduce(0, +) > 500, "\(failures)")
        #expect(failures[.badMetadata, default: 0] > 0 && failures[.outOfBounds, default: 0] > 0, "\(failures)")
        // The whole footer replaced.
        var replaced = bytes
        for i in footer { replaced[i] = UInt8(truncatingIfNeeded: noise.next()) }
        #expect(Self.readAll(replaced) != nil)
    }

    @Test("garbage in the pages: a typed error or columns of a value per row")
    func garbagePages() {
        let bytes = Self.sample.bytes
        let data = 4..<Self.footerRange(bytes).lowerBound
        var noise = Noise(state: 7)
        var failures: [ParquetReadError.Code: Int] = [:]
        for _ in 0..<600 {
            var damaged = bytes
            for _ in 0...noise.below(3) {
                damaged[data.lowerBound + noise.below(data.count)] = UInt8(truncatingIfNeeded: noise.next())
            }
            if let error = Self.readAll(damaged) { failures[error.code, default: 0] += 1 }
        }
        #expect(failures.values.reduce(0, +) > 100, "\(failures)")
        #expect(failures[.decompression, default: 0] > 0, "snappy pages with garbage do not decompress: \(failures)")
    }

    // MARK: - Hand-made files

    @Test("v1 and v2 data pages, PLAIN and dictionary indices, compressed and not, in one chunk", arguments: ParquetCompression.allCases)
    func pageKinds(compression: ParquetCompression) throws {
        let first: [Int64?] = [1, nil, 3, 4, nil, nil, 7, 8, 9, 10]
        let second: [Int64?] = [nil, -2, Int64.max, nil]
        let third: [Int64?] = [100, nil, 300]
        let indices: [UInt32?] = [0, 1, nil, 2, 2, 2, 2, 2, 2, 2, 2, 0]
        let dictionary: [Int64] = [11, 22, 33]
        let c = compression
        let pages = [
            HandMadeParquet.dictionaryPage(dictionary, compression: c),
            HandMadeParquet.dataPage(first, optional: true, compression: c),
            HandMadeParquet.dataPageV2(second, optional: true, compression: c, compressed: true),
            HandMadeParquet.dataPageV2(third, optional: true, compression: c, compressed: false),
            HandMadeParquet.indexPage(indices, optional: true, width: 2, encoding: 8, compression: c),
            HandMadeParquet.indexPage(indices, optional: true, width: 2, encoding: 2, compression: c),
        ]
        let looked = indices.map { $0.map { dictionary[Int($0)] } }
        let expected = first + second + third + looked + looked
        let file = try ParquetFileReader(bytes: HandMadeParquet.file(pages, rows: Int64(expected.count), codec: c.codec, dictionaryPages: 1))
        #expect(try file.readColumn(["v"]) == .int64(expected))
        // Required: no levels at all.
        let required: [Int64?] = [5, 6, 7]
        let plain = try ParquetFileReader(bytes: HandMadeParquet.file([
            HandMadeParquet.dataPage(required, optional: false, compression: c), HandMadeParquet.dataPageV2(required, optional: false, compression: c, compressed: true),
        ], rows: 6, optional: false, codec: c.codec))
        #expect(try plain.readColumn(["v"]) == .int64(required + required))
    }

    @Test("unknown fields of every Thrift type in the footer and in page headers are skipped")
    func unknownFields() throws {
        let values: [Int64?] = [1, nil, 3]
        let page = HandMadeParquet.dataPage(values, optional: true, extra: HandMadeParquet.unknownFields(from: 40))
        let file = try ParquetFileReader(bytes: HandMadeParquet.file([page], rows: 3, footerExtra: HandMadeParquet.unknownFields(from: 200)))
        #expect(try file.readColumn(["v"]) == .int64(values))
    }

    @Test("offsets and sizes outside the file or the chunk")
    func outOfBounds() {
        let page = HandMadeParquet.dataPage([1, 2, 3], optional: true)
        Self.expectError(HandMadeParquet.file([page], rows: 3, dataPageOffset: 1_000_000), .outOfBounds, "lie outside the file's data")
        Self.expectError(HandMadeParquet.file([page], rows: 3, dataPageOffset: -8), .outOfBounds, "lie outside the file's data")
        Self.expectError(HandMadeParquet.file([page], rows: 3, totalCompressed: 1 << 40), .outOfBounds, "lie outside the file's data")
        // The chunk ends before its page does.
        Self.expectError(HandMadeParquet.file([page], rows: 3, totalCompressed: Int64(page.count - 2)), .badPage, "past the chunk's end")
    }

    @Test("pages whose sizes or counts do not add up")
    func sizesDoNotAddUp() {
        let page = HandMadeParquet.dataPage([1, 2, 3], optional: true)
        // The chunk claims more values than its pages hold.
        Self.expectError(HandMadeParquet.file([page], rows: 5), .badPage, "hold 3 of its 5 values")
        // A page claims more values than the chunk has.
        Self.expectError(HandMadeParquet.file([HandMadeParquet.dataPage([1, 2, 3], optional: true, numValues: 9)], rows: 3), .badPage, "9 values, but the chunk has only 3")
        // Fewer values than the levels say are present.
        Self.expectError(HandMadeParquet.file([HandMadeParquet.dataPage([1, 2, 3], optional: false, numValues: 4)], rows: 4, optional: false), .badPage, "4 values need 32 bytes")
        // An uncompressed page whose stored size differs from its uncompressed size.
        let body = HandMadeParquet.plain([1, 2])
        let wrong = HandMadeParquet.page(type: 0, uncompressed: body.count + 5, body: body) { page in
            page.structure(5) { header in
                header.i32(1, 2)
                header.i32(2, 0)
            }
        }
        Self.expectError(HandMadeParquet.file([wrong], rows: 2, optional: false), .badPage, "16 bytes stored uncompressed, but the header says 21")
        // Values and rows of the column chunk disagree.
        Self.expectError(HandMadeParquet.file([page], rows: 3, numValues: 4), .badMetadata, "4 values for 3 rows")
    }

    @Test("codecs, encodings and levels this reader does not read are named")
    func unsupported() {
        let page = HandMadeParquet.dataPage([1, 2, 3], optional: true)
        Self.expectError(HandMadeParquet.file([page], rows: 3, codec: 3), .unsupported, "LZO")
        Self.expectError(HandMadeParquet.file([page], rows: 3, codec: 99), .unsupported, "codec 99")
        Self.expectError(HandMadeParquet.file([HandMadeParquet.dataPage([1, 2, 3], optional: true, encoding: 5)], rows: 3), .unsupported, "DELTA_BINARY_PACKED")
        Self.expectError(HandMadeParquet.file([HandMadeParquet.dataPage([1, 2, 3], optional: true, definitionEncoding: 4)], rows: 3), .unsupported, "BIT_PACKED")
    }

    @Test("dictionary pages: indices past the dictionary, indices without a dictionary, a second dictionary")
    func dictionaries() {
        let dictionary = HandMadeParquet.dictionaryPage([5, 6])
        Self.expectError(HandMadeParquet.file([dictionary, HandMadeParquet.indexPage([0, 1, 3], optional: false, width: 2)], rows: 3, optional: false, dictionaryPages: 1),
                         .badPage, "dictionary index 3, but the dictionary holds 2 values")
        Self.expectError(HandMadeParquet.file([HandMadeParquet.indexPage([0, 1], optional: false, width: 1)], rows: 2, optional: false),
                         .badPage, "no dictionary page")
        Self.expectError(HandMadeParquet.file([dictionary, dictionary, HandMadeParquet.indexPage([0], optional: false, width: 1)], rows: 1, optional: false, dictionaryPages: 2),
                         .badPage, "a dictionary page after the chunk's first page")
    }

    @Test("snappy, gzip, zstd and LZ4 pages of garbage do not decompress")
    func badCompressedPages() {
        for codec: Int32 in [1, 2, 6, 7] {
            let garbage: [UInt8] = [0xFF, 0xFE, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08]
            let page = HandMadeParquet.page(type: 0, uncompressed: 24, body: garbage) { page in
                page.structure(5) { header in
                    header.i32(1, 3)
                    header.i32(2, 0)
                }
            }
            Self.expectError(HandMadeParquet.file([page], rows: 3, optional: false, codec: codec), .decompression, ParquetDecompressor.codecName(codec))
        }
        // A page that claims more than the reader allocates.
        let huge = HandMadeParquet.page(type: 0, uncompressed: Int(Int32.max), body: [1, 2, 3]) { page in
            page.structure(5) { header in
                header.i32(1, 3)
                header.i32(2, 0)
            }
        }
        Self.expectError(HandMadeParquet.file([huge], rows: 3, optional: false, codec: 1), .badPage, "an uncompressed size of 2147483647 bytes")
    }

    @Test("a footer nested without end, a list longer than its bytes, an unknown Thrift type")
    func hostileFooters() {
        let page = HandMadeParquet.dataPage([1], optional: true)
        // Field 300 (long form: type 12, zigzag 600), then 99 structs each opening the next.
        let nested: [UInt8] = [0x0C, 0xD8, 0x04] + Array(repeating: 0x1C, count: 99) + Array(repeating: 0x00, count: 100)
        Self.expectError(HandMadeParquet.file([page], rows: 1, footerExtra: nested), .badMetadata, "nested more than 64 levels deep")
        let longList: [UInt8] = [0x09, 0xD8, 0x04, 0xF5, 0x80, 0x80, 0x80, 0x80, 0x08]
        Self.expectError(HandMadeParquet.file([page], rows: 1, footerExtra: longList), .badMetadata, "claims 2147483648 elements")
        Self.expectError(HandMadeParquet.file([page], rows: 1, footerExtra: [0x0E, 0xD8, 0x04]), .badMetadata, "unknown Thrift type 14")
    }
}
