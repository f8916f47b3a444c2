import Testing
import TelemetryModel
@testable import Ingester

/// The ingester's two JSON readers, the POST body reader (`ReportJSONReader`) and the stores' flat
/// objects (`FlatJSON`), read through TelemetryModel's `JSONByteScanner`, the validator's
/// tokenizer: strings, escapes and nesting come out the same through each.
@Suite("JSON readers: POST bodies and the stores' flat objects on TelemetryModel's JSONByteScanner")
struct JSONReadersTests {
    /// A whole record with `members` appended (raw JSON text).
    static func record(_ members: String = "") -> String {
        #"{"switch_id":"sw1","timestamp":1700000000,"bandwidth_mbps":1.5,"latency_ms":2.25,"packet_errors":3"# + members + "}"
    }

    static func read(_ text: String, lenient: Bool = false) -> ReportJSONReader.Result {
        Array(text.utf8).withUnsafeBytes { ReportJSONReader.read($0, lenient: lenient) }
    }

    /// What the scanner alone decodes for the JSON string `literal` (with its quotes).
    static func scanned(_ literal: String) throws -> String {
        try Array(literal.utf8).withUnsafeBytes { bytes throws -> String in
            var scanner = JSONByteScanner(base: bytes.baseAddress!, count: bytes.count)
            let token = try scanner.scanString()
            #expect(scanner.atEnd)
            return scanner.decodedString(token)
        }
    }

    @Test("escapes and a \\u surrogate pair (in a key too) read the same through the scanner, the body reader and the flat reader")
    func escapesAndSurrogatePairsReadTheSameThroughBothReaders() throws {
        // é as \u00e9, 😀 as the pair \ud83d\ude00, and the short escapes; the key escaped too.
        let escaped = #""up\u00e9 \ud83d\ude00 \t\"q\"\\\/""#
        let expected = "upé 😀 \t\"q\"\\/"
        #expect(try Self.scanned(escaped) == expected)

        let text = Self.record(#","l\u0061bel":\#(escaped),"oper_status":\#(escaped)"#)
        let body = Self.read(text)
        #expect(body.problems == [])
        #expect(body.reports.map(\.label) == [expected])
        #expect(body.reports.map(\.operStatus) == [expected])

        let stored = try #require(FlatJSON.report(Array(text.utf8)))
        #expect(stored.label == expected)
        #expect(stored.operStatus == expected)
        #expect(stored == body.reports.first)
    }

    @Test("a lone surrogate is refused by both readers")
    func aLoneSurrogateIsRefusedByBoth() {
        let text = Self.record(#","label":"a\udc00b""#)
        let offset = text.utf8.count - 3  // the byte after the escape: `b`
        #expect(Self.read(text).problems == ["record 0: not valid JSON (a \\u escape that is not a lone low surrogate, found 'b' at byte \(offset))"])
        #expect(FlatJSON.report(Array(text.utf8)) == nil)
        #expect(FlatJSON.parse(Array(text.utf8)) == nil)
    }

    @Test("nesting one deeper than the limit is refused by both readers; at the limit, read")
    func nestingDeeperThanTheLimitIsRefusedByBoth() throws {
        // An unknown member holding arrays nested `depth` deep; the record is one level more.
        func text(depth: Int) -> String {
            Self.record(#","extra":"# + String(repeating: "[", count: depth) + String(repeating: "]", count: depth))
        }
        let within = text(depth: ReportJSONReader.maxDepth - 1)
        let lenient = Self.read(within, lenient: true)
        #expect(lenient.problems == [])
        #expect(lenient.unknownFields == 1)
        #expect(lenient.reports.map(\.switchID) == ["sw1"])
        #expect(try #require(FlatJSON.report(Array(within.utf8))).switchID == "sw1")

        let deeper = text(depth: ReportJSONReader.maxDepth)
        // The innermost `[`, the 64th, is the one refused.
        let offset = Self.record(#","extra":"#).utf8.count - 1 + ReportJSONReader.maxDepth - 1
        #expect(Self.read(deeper, lenient: true).problems == [
            "record 0: not valid JSON (values nested at most \(ReportJSONReader.maxDepth) deep, found '[' at byte \(offset))"
        ])
        #expect(FlatJSON.report(Array(deeper.utf8)) == nil)
    }
}
