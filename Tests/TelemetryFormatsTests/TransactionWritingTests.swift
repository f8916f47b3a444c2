import TelemetryModel
import Testing

@testable import TelemetryFormats

@Suite struct TransactionWritingTests {
    static func text(_ body: (inout UnsafeMutablePointer<UInt8>) -> Void) -> String {
        var buffer = WriteBuffer(capacity: 64)
        buffer.reserve(64)
        buffer.withWriter { p in
            var q = p
            body(&q)
            return q
        }
        return String(decoding: buffer.bytes, as: UTF8.self)
    }

    @Test("decimals with six places, signs and zero padding")
    func micros() {
        #expect(Self.text { ByteWriting.micros(&$0, 12_050_000) } == "12.050000")
        #expect(Self.text { ByteWriting.micros(&$0, -1) } == "-0.000001")
        #expect(Self.text { ByteWriting.micros(&$0, 0) } == "0.000000")
        #expect(Self.text { ByteWriting.micros(&$0, Int64.min + 1) } == "-9223372036854.775807")
        #expect(Self.text { ByteWriting.padded(&$0, 42, width: 8) } == "00000042")
        #expect(Self.text { ByteWriting.padded(&$0, 123_456_789, width: 8) } == "123456789")
    }

    @Test("RFC 3339 times and compact dates across leap years and before 1970")
    func times() {
        #expect(Self.text { ByteWriting.rfc3339(&$0, millis: 0) } == "1970-01-01T00:00:00.000Z")
        #expect(Self.text { ByteWriting.rfc3339(&$0, millis: 1_795_334_400_123) } == "2026-11-22T08:00:00.123Z")
        #expect(Self.text { ByteWriting.rfc3339(&$0, millis: 951_782_400_000) } == "2000-02-29T00:00:00.000Z")
        #expect(Self.text { ByteWriting.rfc3339(&$0, millis: -1) } == "1969-12-31T23:59:59.999Z")
        #expect(Self.text { ByteWriting.compactDate(&$0, millis: 1_709_164_800_000) } == "20240229")
    }
}
