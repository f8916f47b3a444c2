import Foundation
import TelemetryModel
import Testing

/// The escaped-string and number writers, against Foundation's reader and Swift's `description`.
@Suite struct JSONWriterTests {
    /// SplitMix64: the same cases on every run.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// The escaping the ingester and the log handler used before the byte writer (`JSONText`),
    /// kept here as the reference: the bytes must not change.
    static func reference(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20:
                let hex = String(c.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    static func written(_ body: (inout JSONWriter) -> Void) -> String {
        var json = JSONWriter(capacity: 64)
        body(&json)
        return String(decoding: json.bytes, as: UTF8.self)
    }

    /// Strings of control characters, quotes, backslashes, ASCII, two- three- and four-byte UTF-8
    /// (emoji, combining marks, the last scalars of each plane) and random valid scalars.
    static func strings(count: Int) -> [String] {
        var rng = Seeded(state: 17)
        let pool: [Unicode.Scalar] = (0..<0x20).map { Unicode.Scalar(UInt8($0)) } + [
            "\"", "\\", "/", "a", "Z", "0", " ", "\u{7F}", "\u{80}", "é", "\u{301}", "€", "\u{2028}", "\u{FEFF}", "\u{FFFD}", "\u{FFFF}",
            "😀", "👩", "\u{200D}", "💻", "\u{10FFFF}",
        ]
        var strings = ["", "\"", "\\", "\u{0}", "\r\n", "plain", "\u{1F}\u{7F}", "👩‍💻 at \"home\"\n"]
        while strings.count < count {
            var text = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0...40, using: &rng) {
                if Bool.random(using: &rng) {
                    text.append(pool.randomElement(using: &rng)!)
                } else {
                    var value = UInt32.random(in: 0...0x10FFFF, using: &rng)
                    if (0xD800...0xDFFF).contains(value) { value = 0x41 }
                    text.append(Unicode.Scalar(value)!)
                }
            }
            strings.append(String(text))
        }
        return strings
    }

    @Test("escaped strings: the same bytes as before, and Foundation reads each back as it was")
    func escapedStrings() throws {
        let strings = Self.strings(count: 5_000)
        var array = JSONWriter(capacity: 64)
        array.raw("[")
        for (index, text) in strings.enumerated() {
            let written = Self.written { $0.string(text) }
            #expect(written == Self.reference(text), "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
            if index > 0 { array.raw(",") }
            array.string(text)
        }
        array.raw("]")
        #expect(try JSONDecoder().decode([String].self, from: Data(array.bytes)) == strings)
        // JSONSerialization (swift-corelibs-foundation) drops some U+FEFF of what it reads: it reads
        // each string without one.
        let serialized = try #require(try JSONSerialization.jsonObject(with: Data(array.bytes)) as? [String])
        #expect(serialized.count == strings.count)
        for (read, text) in zip(serialized, strings) where !text.unicodeScalars.contains("\u{FEFF}") && read != text {
            Issue.record("JSONSerialization read \(text.debugDescription) as \(read.debugDescription)")
        }
    }

    @Test("escapes: each control character, quote and backslash")
    func escapes() {
        #expect(Self.written { $0.string("a\"b\\c\nd\re\tf\u{0}\u{1B}\u{1F} 😀") } == #""a\"b\\c\nd\re\tf\u0000\u001b\u001f 😀""#)
        #expect(Self.written { $0.string("") } == "\"\"")
    }

    /// Random bit patterns (every exponent), decimals with few digits (what metrics hold), powers
    /// of two and their neighbours, and the edges of the decimal notation.
    static func doubles(count: Int) -> [Double] {
        var rng = Seeded(state: 42)
        var values: [Double] = [
            0, -0.0, 1, -1, 0.1, 0.2, 0.1 + 0.2, 1234.5, 12.0, 12.3, 1e-7, 1e-4, 1e-5, 0.0001, 9.999999999999999e-05,
            1e15, 1e16, 9_007_199_254_740_992, 9_007_199_254_740_991, 4_503_599_627_370_496.5, 1_125_899_906_842_624.25,
            .leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .pi, -.ulpOfOne,
        ]
        for exponent in -20...60 {
            let power = Double(sign: .plus, exponent: exponent, significand: 1)
            values += [power, power.nextUp, power.nextDown, -power]
        }
        var powersOfTen = [1.0]
        for _ in 1...12 { powersOfTen.append(powersOfTen[powersOfTen.count - 1] * 10) }
        while values.count < count {
            switch Int.random(in: 0..<4, using: &rng) {
            case 0:
                let value = Double(bitPattern: rng.next())
                if value.isFinite { values.append(value) }
            case 1:
                values.append(Double(sign: .plus, exponent: Int.random(in: -16...54, using: &rng), significand: Double.random(in: 1..<2, using: &rng)))
            case 2:
                let digits = Int64.random(in: -10_000_000_000...10_000_000_000, using: &rng) >> Int64.random(in: 0...30, using: &rng)
                values.append(Double(digits) / powersOfTen[Int.random(in: 0...12, using: &rng)])
            default:
                values.append(Double(Int64.random(in: -1_000_000...1_000_000, using: &rng)) / 10)
            }
        }
        return values
    }

    @Test("doubles: exactly Swift's description, and Foundation reads each back as the same double")
    func doubles() throws {
        let values = Self.doubles(count: 100_000)
        var array = JSONWriter(capacity: 64)
        array.raw("[")
        for (index, value) in values.enumerated() {
            let written = Self.written { $0.number(value) }
            #expect(written == "\(value)", "bit pattern \(String(value.bitPattern, radix: 16))")
            if index > 0 { array.raw(",") }
            array.number(value)
        }
        array.raw("]")
        let decoded = try JSONDecoder().decode([Double].self, from: Data(array.bytes))
        #expect(decoded.count == values.count)
        for (read, value) in zip(decoded, values) where read != value {
            Issue.record("\(value) read back as \(read)")
        }
        let serialized = try #require(try JSONSerialization.jsonObject(with: Data(array.bytes)) as? [Any])
        func number(_ any: Any) -> Double? {
            // Foundation keeps 17-digit numbers as decimals, whose `doubleValue` is not correctly
            // rounded: the decimal's own digits are what it read.
            if let decimal = any as? NSDecimalNumber { return Double(decimal.description) }
            if let number = any as? NSNumber { return number.doubleValue }
            return (any as? Double) ?? (any as? Int).map(Double.init)
        }
        #expect(serialized.count == values.count)
        #expect(zip(serialized, values).allSatisfy { number($0) == $1 })
    }

    @Test("not finite: null, as the ingester always wrote it")
    func notFinite() {
        for value in [Double.nan, .infinity, -.infinity, -Double.nan] {
            #expect(Self.written { $0.number(value) } == "null")
        }
    }

    @Test("integers, raw text and a whole object")
    func object() throws {
        let text = Self.written { json in
            json.raw("{\"a\":")
            json.integer(Int64.min)
            json.raw(",\"b\":")
            json.integer(42)
            json.raw(",\"c\":")
            json.raw("[true]")
            json.raw(",\"d\":")
            json.number(12.5)
            json.raw("}")
        }
        #expect(text == #"{"a":-9223372036854775808,"b":42,"c":[true],"d":12.5}"#)
    }

    @Test("grows past its first capacity and starts over keeping its memory")
    func growsAndResets() {
        var json = JSONWriter(capacity: 64)
        let long = String(repeating: "\u{1}", count: 1_000)
        json.string(long)
        #expect(json.count == 6 * 1_000 + 2)
        json.removeAll()
        #expect(json.count == 0)
        json.number(1.5)
        #expect(String(decoding: json.bytes, as: UTF8.self) == "1.5")
    }
}
