import CDeflate
import TelemetryFormats
import TelemetryModel
import Testing

@Suite struct ByteWritingTests {
    func written(_ body: (inout UnsafeMutablePointer<UInt8>) -> Void) -> String {
        var buffer = WriteBuffer(capacity: 128)
        buffer.reserve(128)
        buffer.withWriter { start in
            var p = start
            body(&p)
            return p
        }
        return String(decoding: buffer.bytes, as: UTF8.self)
    }

    @Test(arguments: [UInt64(0), 7, 10, 99, 100, 12_345, 65_535, 1_000_000, 9_999_999_999, UInt64.max])
    func unsignedMatchesDescription(_ value: UInt64) {
        #expect(written { ByteWriting.unsigned(&$0, value) } == String(value))
    }

    @Test(arguments: [Int64(0), -1, -65_536, Int64.min, Int64.max])
    func signedMatchesDescription(_ value: Int64) {
        #expect(written { ByteWriting.signed(&$0, value) } == String(value))
        #expect(written { ByteWriting.signed(&$0, value, pairs: ByteWriting.digitPairs) } == String(value))
    }

    /// The eight-digits-at-a-time writer at every power of ten and its neighbours, and at random.
    @Test func unsignedWithPairsMatchesDescription() {
        var values: [UInt64] = [0, UInt64.max, UInt64.max - 1]
        var power: UInt64 = 1
        for _ in 0..<19 {
            values += [power - 1, power, power + 1]
            power *= 10
        }
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<10_000 { values.append(UInt64.random(in: 0...UInt64.max, using: &rng) >> UInt64.random(in: 0...63, using: &rng)) }
        for value in values {
            #expect(written { ByteWriting.unsigned(&$0, value, pairs: ByteWriting.digitPairs) } == String(value))
        }
    }

    @Test func addressesUUIDsAndPadding() {
        #expect(written { ByteWriting.ipv4(&$0, 0x0A00_0111) } == "10.0.1.17")
        #expect(written { ByteWriting.ipv4(&$0, 0xFFFF_FFFF) } == "255.255.255.255")
        #expect(written { ByteWriting.uuid(&$0, high: 0x0123_4567_89ab_4def, low: 0x8123_4567_89ab_cdef) } == "01234567-89ab-4def-8123-456789abcdef")
        #expect(written { ByteWriting.zeroPadded(&$0, 42, width: 6) } == "000042")
    }

    @Test func bufferGrowsAndTruncates() {
        var buffer = WriteBuffer(capacity: 64)
        for _ in 0..<1_000 { buffer.append("abcdefgh") }
        #expect(buffer.count == 8_000 && buffer.capacity >= 8_000)
        buffer.truncate(to: 3)
        #expect(buffer.bytes == Array("abc".utf8))
    }

    @Test func gzipMembersDecompressToTheInput() {
        let input = Array(String(repeating: "{\"a\":1,\"b\":\"xyz\"}\n", count: 5_000).utf8)
        var output = WriteBuffer()
        let compressor = GzipCompressor(level: 6)
        input.withUnsafeBytes { compressor.compress($0, into: &output) }
        #expect(output.count < input.count / 10)
        #expect(output.bytes.prefix(2) == [0x1f, 0x8b])
        let decompressor = libdeflate_alloc_decompressor()
        defer { libdeflate_free_decompressor(decompressor) }
        var restored = [UInt8](repeating: 0, count: input.count)
        var actual = 0
        let result = output.withBytes { compressed in
            restored.withUnsafeMutableBytes { libdeflate_gzip_decompress(decompressor, compressed.baseAddress, compressed.count, $0.baseAddress, $0.count, &actual) }
        }
        #expect(result == LIBDEFLATE_SUCCESS)
        #expect(restored == input)
    }
}
