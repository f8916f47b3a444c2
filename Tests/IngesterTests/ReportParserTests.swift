import Foundation
import Testing
@testable import Ingester

/// One record as JSON text, with `extra` members appended.
func recordJSON(_ n: Int = 1, timestamp: Int64 = 1_700_000_000, extra: String = "") -> String {
    "{\"timestamp\":\(timestamp),\"switch_id\":\"sw\(n)\",\"bandwidth_mbps\":\(n).5,\"latency_ms\":2.25,\"packet_errors\":\(n % 7)\(extra)}"
}

/// The problems `body` is refused with (empty when it is accepted).
func problems(json body: String, rules: ReportRules = .formatOnly) -> [String] {
    do throws(ReportParser.Failure) {
        _ = try ReportParser.json(Array(body.utf8), rules: rules)
        return []
    } catch {
        return error.problems
    }
}

func problems(csv body: String, rules: ReportRules = .formatOnly) -> [String] {
    do throws(ReportParser.Failure) {
        _ = try ReportParser.csv(Array(body.utf8), rules: rules)
        return []
    } catch {
        return error.problems
    }
}

@Suite("Report bodies: strict JSON and CSV, in the API's words")
struct ReportParserTests {
    @Test("every field our generator writes is read; anomalies, generator_id and seq are accepted")
    func generatorRecords() throws {
        let parsed = try ReportParser.json(Array(snapshotJSON(timestamp: 1_700_000_000, switches: 1...3).utf8))
        #expect(parsed.reports.count == 3 && parsed.duplicateKeys == 0 && parsed.unknownFields == 0)
        #expect(parsed.reports[1] == SwitchReport(
            switchID: "sw2", timestamp: 1_700_000_000, bandwidthMbps: 200.25, latencyMs: 12.5, packetErrors: 2, linkSpeedMbps: 10_000,
            utilizationPct: 2.5, drops: 0, crcErrors: 1, operStatus: "up", label: "normal"
        ))
        let one = try ReportParser.json(Array(recordJSON(4, extra: ",\"anomalies\":[\"a\",\"b\"],\"seq\":9,\"generator_id\":\"g\",\"drops\":null").utf8))
        #expect(one.reports == [SwitchReport(switchID: "sw4", timestamp: 1_700_000_000, bandwidthMbps: 4.5, latencyMs: 2.25, packetErrors: 4)])
    }

    @Test("strings and numbers as RFC 8259 has them: escapes, surrogate pairs, exponents, negative zero")
    func syntaxCoverage() throws {
        let body = #"[ {"timestamp":1.7e9,"switch_id":"s\u0077\u0031","bandwidth_mbps":1E2,"latency_ms":0.000125,"packet_errors":0,"label":"n\u006Frmal","oper_status":"\u0075p","generator_id":"\ud83d\ude00 \"\\\/\b\f\n\r\t"} ]"#
        let report = try #require(try ReportParser.json(Array(body.utf8)).reports.first)
        #expect(report.switchID == "sw1" && report.timestamp == 1_700_000_000 && report.bandwidthMbps == 100 && report.latencyMs == 0.000125)
        #expect(report.label == "normal" && report.operStatus == "up")
        // An escaped key is the same key.
        #expect(problems(json: recordJSON(extra: #","latency\u005fms":3"#)) == ["record 0: duplicate key latency_ms"])
    }

    @Test("numbers convert exactly as the standard library reads them")
    func numbers() {
        var generator = SystemRandomNumberGenerator()
        var texts = ["0", "-0", "0.1", "1e22", "1e23", "9007199254740993", "123456789012345678", "0.30000000000000004", "2.2250738585072014e-308", "1.7976931348623157e308", "5e-324"]
        for _ in 0..<20_000 {
            let digits = Int.random(in: 1...17, using: &generator)
            let mantissa = String((0..<digits).map { _ in Character(String(Int.random(in: 0...9, using: &generator))) }).drop { $0 == "0" }
            let point = Int.random(in: 0...digits, using: &generator)
            var text = mantissa.isEmpty ? "0" : String(mantissa)
            if point > 0, point < text.count { text.insert(".", at: text.index(text.startIndex, offsetBy: point)) }
            if Bool.random(using: &generator) { text += "e\(Int.random(in: -30...30, using: &generator))" }
            texts.append(text)
        }
        for text in texts {
            let fast = text.utf8.withContiguousStorageIfAvailable { NumberText.fastDouble(UnsafeRawBufferPointer($0)) } ?? nil
            if let fast { #expect(fast == Double(text), "\(text): \(fast) != \(String(describing: Double(text)))") }
            let body = "{\"timestamp\":1,\"switch_id\":\"sw1\",\"bandwidth_mbps\":1,\"latency_ms\":\(text),\"packet_errors\":0}"
            let read = try? ReportParser.json(Array(body.utf8)).reports.first?.latencyMs
            if let expected = Double(text), expected <= 10_000_000 { #expect(read == expected, "\(text)") }
        }
    }

    static let strictCases: [(String, [String])] = [
        (recordJSON(extra: ",\"latency_ms\":3"), ["record 0: duplicate key latency_ms"]),
        ("[" + recordJSON(1) + "," + recordJSON(2) + "," + recordJSON(3, extra: ",\"bandwith_mbps\":1") + "]", ["record 2: unknown field bandwith_mbps"]),
        ("[" + recordJSON(extra: ",\"x\":{\"y\":[1,2,{\"z\":null}]},\"switch_id\":\"sw9\"") + "]", ["record 0: unknown field x", "record 0: duplicate key switch_id"]),
        ]

    @Test("duplicate keys and unknown fields are refused by name", arguments: strictCases)
    func strictKeys(body: String, expected: [String]) {
        #expect(problems(json: body) == expected)
    }

    @Test("lenient: duplicates (the last value wins) and unknown fields are counted, not refused")
    func lenientKeys() throws {
        let body = "[" + recordJSON(1, extra: ",\"latency_ms\":3,\"bandwith_mbps\":1,\"note\":[\"a\",{\"b\":1}]") + "," + recordJSON(2, extra: ",\"switch_id\":\"sw20\"") + "]"
        let parsed = try ReportParser.json(Array(body.utf8), rules: ReportRules(maxFutureSkew: nil, lenient: true))
        #expect(parsed.duplicateKeys == 2 && parsed.unknownFields == 2)
        #expect(parsed.reports.map(\.switchID) == ["sw1", "sw20"] && parsed.reports[0].latencyMs == 3)
        // Lenient is about keys only: types, ranges and syntax stay strict.
        #expect(problems(json: recordJSON(extra: ",\"drops\":\"many\""), rules: ReportRules(maxFutureSkew: nil, lenient: true)) == ["record 0: drops: expected an integer, found a string"])
    }

    static let messageCases: [(String, String)] = [
        ("[1]", "record 0: expected an object, found a number"),
        ("[" + recordJSON() + ",\"sw2\"]", "record 1: expected an object, found a string"),
        ("5", "the body: expected an array of records or one record (an object), found a number"),
        ("", "the body is empty: a JSON array of records (or one record) is required"),
        (recordJSON().replacingOccurrences(of: "2.25", with: "\"2.25\""), "record 0: latency_ms: expected a number, found a string"),
        (recordJSON().replacingOccurrences(of: "\"sw1\"", with: "7"), "record 0: switch_id: expected a string, found a number"),
        (recordJSON().replacingOccurrences(of: "2.25", with: "null"), "record 0: latency_ms: expected a number, found null"),
        (recordJSON().replacingOccurrences(of: "1700000000", with: "[]"), "record 0: timestamp: expected an integer, found an array"),
        (recordJSON(extra: ",\"anomalies\":[\"a\",1]"), "record 0: anomalies: expected an array of strings, found a number in it"),
        (recordJSON().replacingOccurrences(of: ",\"latency_ms\":2.25", with: ""), "record 0: latency_ms is missing"),
        (recordJSON().replacingOccurrences(of: "2.25", with: "2.5.5"), "record 0: not valid JSON (expected , or } after a value, found '.' at byte 79)"),
        ("[" + recordJSON() + ",]", "record 1: not valid JSON (expected a value, found ']' at byte"),
        ("[" + recordJSON(), "the body: not valid JSON (expected , or ] after a record, found the end of the body)"),
        (recordJSON() + "x", "the body: not valid JSON (expected the end of the body after the JSON value, found 'x' at byte"),
        ("{not json", "record 0: not valid JSON (expected a key in double quotes, found 'n' at byte 1)"),
        ("[{\"timestamp\":01}]", "record 0: not valid JSON (expected , or } after a value, found '1' at byte 15)"),
        ("[{\"switch_id\":\"a\u{1}\"}]", "record 0: not valid JSON (a control character must be escaped in a string, found byte 0x1 at byte 16)"),
        ("[{\"switch_id\":\"\\x\"}]", "record 0: not valid JSON (one of"),
        ("[{\"timestamp\":tru}]", "record 0: not valid JSON (expected true, found '}' at byte 17)"),
        ]

    @Test("every way a body can be wrong is said in the API's words, never a Swift type", arguments: messageCases)
    func messages(body: String, expected: String) {
        let found = problems(json: body)
        #expect(found.first?.hasPrefix(expected) == true, "\(found)")
        #expect(!found.joined().contains("Dictionary") && !found.joined().contains("Double") && !found.joined().contains("Swift"), "\(found)")
    }

    @Test("at most ten problems are listed")
    func problemLimit() {
        let body = "[" + (1...30).map { recordJSON($0, extra: ",\"x\":1") }.joined(separator: ",") + "]"
        let found = problems(json: body)
        #expect(found.count == 10 && found.first == "record 0: unknown field x" && found.last == "record 9: unknown field x")
    }

    @Test("CSV: unknown columns refused (lenient: skipped and counted), a column named twice always refused")
    func csvColumns() throws {
        let header = "timestamp,switch_id,bandwidth_mbps,latency_ms,packet_errors"
        #expect(problems(csv: header + ",bandwith_mbps\n1700000000,sw1,1,2,3,4\n") == ["line 1: unknown column bandwith_mbps"])
        #expect(problems(csv: header + ",latency_ms\n1700000000,sw1,1,2,3,4\n") == ["line 1: duplicate column latency_ms"])
        #expect(problems(csv: header + ",latency_ms\n1700000000,sw1,1,2,3,4\n", rules: ReportRules(maxFutureSkew: nil, lenient: true)) == ["line 1: duplicate column latency_ms"])
        let lenient = try ReportParser.csv(Array((header + ",note,other\n1700000000,sw1,1,2,3,a,b\n\n1700000000,sw2,1,2,3,\"x,y\",\n").utf8), rules: ReportRules(maxFutureSkew: nil, lenient: true))
        #expect(lenient.reports.map(\.switchID) == ["sw1", "sw2"] && lenient.unknownFields == 4)
        // Our generator's own columns, quotes, CRLF, and the real line number after a blank line.
        let ours = "timestamp,switch_id,bandwidth_mbps,latency_ms,packet_errors,link_speed_mbps,utilization_pct,drops,crc_errors,oper_status,label,anomalies,generator_id,seq\r\n"
            + "1700000000,\"sw\"\"1\",1.5,2,3,1000,0.15,0,0,up,normal,\"link_flap,stale\",gen-1,0\r\n"
        #expect(problems(csv: ours) == ["line 2: switch_id 'sw\"1' is not 1-64 of A-Z a-z 0-9 _ . : - starting with a letter or digit"])
        let parsed = try ReportParser.csv(Array(ours.replacingOccurrences(of: "\"sw\"\"1\"", with: "\"sw1\"").utf8))
        #expect(parsed.reports == [SwitchReport(switchID: "sw1", timestamp: 1_700_000_000, bandwidthMbps: 1.5, latencyMs: 2, packetErrors: 3, linkSpeedMbps: 1000, utilizationPct: 0.15, drops: 0, crcErrors: 0, operStatus: "up", label: "normal")])
        #expect(problems(csv: header + "\n\n1700000000,sw1,x,2,3\n") == ["line 3: bandwidth_mbps 'x' is not a number"])
        // Decimal numbers only: not hexadecimal floats, inf or nan; 1., .5, +2 and 1e3 are decimal.
        for text in ["0x10", "0x1p3", "inf", "nan", "1e", "--1", "."] {
            #expect(problems(csv: header + "\n1700000000,sw1,\(text),2,3\n") == ["line 2: bandwidth_mbps '\(text)' is not a number"], "\(text)")
        }
        let decimal = try ReportParser.csv(Array((header + "\n1700000000,sw1,1.,.5,3\n1700000000,sw2,+2,1e3,3\n").utf8)).reports
        #expect(decimal.map(\.bandwidthMbps) == [1, 2] && decimal.map(\.latencyMs) == [0.5, 1_000])
    }

    @Test("a timestamp more than the skew ahead of the clock is refused, naming the record; the past is accepted")
    func futureTimestamps() {
        let rules = ReportRules(maxFutureSkew: 300, clock: { 1_796_000_000 })
        let body = "[" + [recordJSON(1, timestamp: 1_796_000_300), recordJSON(2, timestamp: 1_000_000_000), recordJSON(3, timestamp: 1_796_000_301), recordJSON(4, timestamp: 99_999_999_999)].joined(separator: ",") + "]"
        #expect(problems(json: body, rules: rules) == [
            "record 2: timestamp 1796000301 is 301 seconds ahead of the server's clock (at most 5m ahead)",
            "record 3: timestamp 99999999999 is 3111 years ahead of the server's clock (at most 5m ahead)",
        ])
        #expect(problems(csv: "timestamp,switch_id,bandwidth_mbps,latency_ms,packet_errors\n1796007200,sw1,1,1,1\n", rules: ReportRules(maxFutureSkew: 3_600, clock: { 1_796_000_000 }))
            == ["line 2: timestamp 1796007200 is 2 hours ahead of the server's clock (at most 1h ahead)"])
        #expect(DurationText.setting(90) == "90s" && DurationText.setting(0.25) == "250ms" && DurationText.span(1) == "1 second" && DurationText.span(3 * 86_400 + 5) == "3 days")
    }

    @Test("600,000 records are read, every one of them, in one pass")
    func manyRecords() throws {
        var body = "["
        body.reserveCapacity(600_000 * 120)
        for n in 1...600_000 {
            if n > 1 { body += "," }
            body += recordJSON(n)
        }
        body += "]"
        let reports = try ReportParser.json(Array(body.utf8)).reports
        #expect(reports.count == 600_000 && reports.first?.switchID == "sw1" && reports.last?.switchID == "sw600000")
        #expect(reports[299_999] == SwitchReport(switchID: "sw300000", timestamp: 1_700_000_000, bandwidthMbps: 300_000.5, latencyMs: 2.25, packetErrors: 300_000 % 7))
    }
}
