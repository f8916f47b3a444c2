import TelemetryModel

/// Reads the records of a JSON body (an array of records, or one record) in one pass over its
/// bytes: strict RFC 8259 syntax, and per record the known fields with their types, each at most
/// once. Foundation's decoder cannot see a key given twice and names Swift types in its errors;
/// this reader says what is wrong in the API's words (`record 0: duplicate key latency_ms`,
/// `record 2: unknown field bandwith_mbps`, `record 0: expected an object, found a number`).
/// Lenient, duplicate keys (the last value wins) and unknown fields (skipped) are counted instead.
/// It stops at the first syntax error, or after ``ReportParser/maxProblems`` problems.
struct ReportJSONReader {
    struct Result {
        var reports: [SwitchReport] = []
        var problems: [String] = []
        var duplicateKeys = 0
        var unknownFields = 0
    }

    /// Reading cannot go on: the bytes are not JSON, or enough problems are listed.
    private struct Stop: Error {}

    /// What a record holds so far.
    private struct Values {
        var timestamp: Int64?
        var switchID: String?
        var bandwidthMbps: Double?
        var latencyMs: Double?
        var packetErrors: Int64?
        var linkSpeedMbps: Int64?
        var utilizationPct: Double?
        var drops: Int64?
        var crcErrors: Int64?
        var operStatus: String?
        var label: String?
    }

    private enum Key {
        case known(ReportField)
        case unknown(String)
    }

    private static let maxDepth = 64

    private let bytes: UnsafeRawBufferPointer
    private let count: Int
    private let lenient: Bool
    private var i = 0
    /// The record being read, for messages.
    private var record: Int?
    private var result = Result()

    private init(bytes: UnsafeRawBufferPointer, lenient: Bool) {
        self.bytes = bytes
        count = bytes.count
        self.lenient = lenient
    }

    /// The records of `bytes`, or the problems that refuse them.
    static func read(_ bytes: UnsafeRawBufferPointer, lenient: Bool) -> Result {
        var reader = ReportJSONReader(bytes: bytes, lenient: lenient)
        do throws(Stop) {
            try reader.body()
        } catch {
            // The problems say why.
        }
        return reader.result
    }

    // MARK: - Structure

    private mutating func body() throws(Stop) {
        skipSpace()
        guard i < count else {
            result.problems.append("the body is empty: a JSON array of records (or one record) is required")
            throw Stop()
        }
        switch byte {
        case UInt8(ascii: "["):
            i += 1
            skipSpace()
            if i < count, byte == UInt8(ascii: "]") {
                i += 1
            } else {
                var index = 0
                while true {
                    try element(index)
                    index += 1
                    skipSpace()
                    guard i < count, byte == UInt8(ascii: ",") || byte == UInt8(ascii: "]") else { throw syntax("expected , or ] after a record") }
                    i += 1
                    if bytes[i - 1] == UInt8(ascii: "]") { break }
                    skipSpace()
                }
            }
        case UInt8(ascii: "{"):
            try element(0)
        default:
            let kind = try valueKind()
            try problem("the body: expected an array of records or one record (an object), found \(kind.name)")
            throw Stop()
        }
        record = nil
        skipSpace()
        guard i == count else { throw syntax("expected the end of the body after the JSON value") }
    }

    private mutating func element(_ index: Int) throws(Stop) {
        record = index
        let kind = try valueKind()
        guard kind == .object else {
            try skipValue(depth: 1)
            try problem("record \(index): expected an object, found \(kind.name)")
            return
        }
        if let report = try object(index) { result.reports.append(report) }
        record = nil
    }

    /// One record (at its `{`); nil when it has problems (listed).
    private mutating func object(_ index: Int) throws(Stop) -> SwitchReport? {
        i += 1
        let problemsBefore = result.problems.count
        var seen: UInt16 = 0
        var values = Values()
        var hint = 0
        skipSpace()
        if i < count, byte == UInt8(ascii: "}") {
            i += 1
        } else {
            while true {
                guard i < count, byte == UInt8(ascii: "\"") else { throw syntax("expected a key in double quotes") }
                let key = try self.key(hint: hint)
                skipSpace()
                guard i < count, byte == UInt8(ascii: ":") else { throw syntax("expected : after a key") }
                i += 1
                skipSpace()
                switch key {
                case .known(let field):
                    hint = field.rawValue + 1
                    if seen & field.bit != 0 {
                        if lenient { result.duplicateKeys += 1 } else { try problem("record \(index): duplicate key \(field.name)") }
                    }
                    seen |= field.bit
                    try value(of: field, into: &values, record: index)
                case .unknown(let name):
                    if lenient { result.unknownFields += 1 } else { try problem("record \(index): unknown field \(name.prefix(64))") }
                    try skipValue(depth: 1)
                }
                skipSpace()
                guard i < count, byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") else { throw syntax("expected , or } after a value") }
                i += 1
                if bytes[i - 1] == UInt8(ascii: "}") { break }
                skipSpace()
            }
        }
        for field in ReportField.required where seen & field.bit == 0 {
            try problem("record \(index): \(field.name) is missing")
        }
        guard result.problems.count == problemsBefore, let switchID = values.switchID, let timestamp = values.timestamp,
              let bandwidth = values.bandwidthMbps, let latency = values.latencyMs, let errors = values.packetErrors else { return nil }
        return SwitchReport(
            switchID: switchID, timestamp: timestamp, bandwidthMbps: bandwidth, latencyMs: latency, packetErrors: errors,
            linkSpeedMbps: values.linkSpeedMbps, utilizationPct: values.utilizationPct, drops: values.drops, crcErrors: values.crcErrors,
            operStatus: values.operStatus, label: values.label
        )
    }

    /// A field's value (at its first byte), checked against the field's kind.
    private mutating func value(of field: ReportField, into values: inout Values, record index: Int) throws(Stop) {
        let kind = try valueKind()
        let required = ReportField.required.contains(field)
        if kind == .null {
            try literal("null")
            if required {
                try problem("record \(index): \(field.name): expected \(Self.expected(field)), found null")
            } else {
                set(field, number: nil, text: nil, into: &values)
            }
            return
        }
        switch (field.kind, kind) {
        case (.integer, .number):
            let number = try self.number()
            guard number.isFinite, number == number.rounded(), abs(number) < 9e15 else {
                try problem("record \(index): \(field.name) \(number) is not an integer")
                return
            }
            set(field, number: number, text: nil, into: &values)
        case (.number, .number):
            set(field, number: try number(), text: nil, into: &values)
        case (.string, .string):
            set(field, number: nil, text: try string(), into: &values)
        case (.strings, .array):
            i += 1
            skipSpace()
            if i < count, byte == UInt8(ascii: "]") {
                i += 1
                return
            }
            var wrong: JSONValueKind?
            while true {
                let element = try valueKind()
                if element == .string { _ = try string() } else {
                    wrong = wrong ?? element
                    try skipValue(depth: 2)
                }
                skipSpace()
                guard i < count, byte == UInt8(ascii: ",") || byte == UInt8(ascii: "]") else { throw syntax("expected , or ] in an array") }
                i += 1
                if bytes[i - 1] == UInt8(ascii: "]") { break }
                skipSpace()
            }
            if let wrong { try problem("record \(index): \(field.name): expected \(Self.expected(field)), found \(wrong.name) in it") }
        default:
            try skipValue(depth: 1)
            try problem("record \(index): \(field.name): expected \(Self.expected(field)), found \(kind.name)")
        }
    }

    private static func expected(_ field: ReportField) -> String {
        switch field.kind {
        case .integer: "an integer"
        case .number: "a number"
        case .string: "a string"
        case .strings: "an array of strings"
        }
    }

    private func set(_ field: ReportField, number: Double?, text: String?, into values: inout Values) {
        switch field {
        case .timestamp: values.timestamp = number.map { Int64($0) }
        case .switchID: values.switchID = text
        case .bandwidthMbps: values.bandwidthMbps = number
        case .latencyMs: values.latencyMs = number
        case .packetErrors: values.packetErrors = number.map { Int64($0) }
        case .linkSpeedMbps: values.linkSpeedMbps = number.map { Int64($0) }
        case .utilizationPct: values.utilizationPct = number
        case .drops: values.drops = number.map { Int64($0) }
        case .crcErrors: values.crcErrors = number.map { Int64($0) }
        case .operStatus: values.operStatus = text
        case .label: values.label = text
        case .anomalies, .generatorID, .seq: break
        }
    }

    // MARK: - Problems

    /// Lists a problem; stops once ``ReportParser/maxProblems`` are listed.
    private mutating func problem(_ text: String) throws(Stop) {
        result.problems.append(text)
        if result.problems.count >= ReportParser.maxProblems { throw Stop() }
    }

    /// The syntax error at the current byte (reading cannot go on).
    private mutating func syntax(_ expected: String) -> Stop {
        let found: String
        if i >= count {
            found = "the end of the body"
        } else if byte >= 0x21 && byte < 0x7F {
            found = "'\(Character(Unicode.Scalar(byte)))' at byte \(i)"
        } else {
            found = "byte 0x\(String(byte, radix: 16, uppercase: true)) at byte \(i)"
        }
        let place = record.map { "record \($0)" } ?? "the body"
        result.problems.append("\(place): not valid JSON (\(expected), found \(found))")
        return Stop()
    }

    // MARK: - Tokens

    @inline(__always)
    private var byte: UInt8 { bytes[i] }

    @inline(__always)
    private mutating func skipSpace() {
        while i < count {
            let b = bytes[i]
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
            i += 1
        }
    }

    /// The kind of the value starting at the current byte (a syntax error when none does).
    private mutating func valueKind() throws(Stop) -> JSONValueKind {
        guard i < count else { throw syntax("expected a value") }
        switch byte {
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .boolean
        case UInt8(ascii: "n"): return .null
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "{"): return .object
        default: throw syntax("expected a value")
        }
    }

    /// Checks the value at the current byte and moves past it.
    private mutating func skipValue(depth: Int) throws(Stop) {
        switch try valueKind() {
        case .string: _ = try string()
        case .number: _ = try number()
        case .boolean: try literal(byte == UInt8(ascii: "t") ? "true" : "false")
        case .null: try literal("null")
        case .array:
            guard depth < Self.maxDepth else { throw syntax("values nested at most \(Self.maxDepth) deep") }
            i += 1
            skipSpace()
            if i < count, byte == UInt8(ascii: "]") {
                i += 1
                return
            }
            while true {
                try skipValue(depth: depth + 1)
                skipSpace()
                guard i < count, byte == UInt8(ascii: ",") || byte == UInt8(ascii: "]") else { throw syntax("expected , or ] in an array") }
                i += 1
                if bytes[i - 1] == UInt8(ascii: "]") { return }
                skipSpace()
            }
        case .object:
            guard depth < Self.maxDepth else { throw syntax("values nested at most \(Self.maxDepth) deep") }
            i += 1
            skipSpace()
            if i < count, byte == UInt8(ascii: "}") {
                i += 1
                return
            }
            while true {
                guard i < count, byte == UInt8(ascii: "\"") else { throw syntax("expected a key in double quotes") }
                _ = try string()
                skipSpace()
                guard i < count, byte == UInt8(ascii: ":") else { throw syntax("expected : after a key") }
                i += 1
                skipSpace()
                try skipValue(depth: depth + 1)
                skipSpace()
                guard i < count, byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") else { throw syntax("expected , or } after a value") }
                i += 1
                if bytes[i - 1] == UInt8(ascii: "}") { return }
                skipSpace()
            }
        }
    }

    private mutating func literal(_ text: StaticString) throws(Stop) {
        let start = text.utf8Start
        for k in 0..<text.utf8CodeUnitCount {
            guard i < count, byte == start[k] else { throw syntax("expected \(text)") }
            i += 1
        }
    }

    /// A key (at its opening quote): one of the record's fields, compared byte for byte (the field
    /// after the previous one first: senders keep an order), or an unknown name.
    private mutating func key(hint: Int) throws(Stop) -> Key {
        let start = i + 1
        var end = start
        while end < count {
            let b = bytes[end]
            if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b < 0x20 || b >= 0x80 { break }
            end += 1
        }
        if end < count, bytes[end] == UInt8(ascii: "\"") {
            i = end + 1
            if hint < ReportField.utf8Names.count, matches(start, end, ReportField.utf8Names[hint]) { return .known(ReportField(rawValue: hint)!) }
            for (index, name) in ReportField.utf8Names.enumerated() where matches(start, end, name) {
                return .known(ReportField(rawValue: index)!)
            }
            return .unknown(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
        }
        // Escapes or other than ASCII: decoded first.
        let name = try string()
        if let field = ReportField.byName[name] { return .known(field) }
        return .unknown(name)
    }

    @inline(__always)
    private func matches(_ start: Int, _ end: Int, _ name: [UInt8]) -> Bool {
        guard end - start == name.count else { return false }
        for k in 0..<name.count where bytes[start + k] != name[k] { return false }
        return true
    }

    /// A string (at its opening quote), decoded and checked (escapes, control characters, UTF-8).
    private mutating func string() throws(Stop) -> String {
        let start = i + 1
        var end = start
        var ascii = true
        while end < count {
            let b = bytes[end]
            if b == UInt8(ascii: "\"") { break }
            if b == UInt8(ascii: "\\") { return try escapedString(from: start) }
            if b < 0x20 {
                i = end
                throw syntax("a control character must be escaped in a string")
            }
            if b >= 0x80 { ascii = false }
            end += 1
        }
        guard end < count else {
            i = end
            throw syntax("expected the end of a string")
        }
        i = end + 1
        let text = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
        if ascii { return String(decoding: text, as: UTF8.self) }
        guard let decoded = String(validating: text, as: UTF8.self) else {
            i = start
            throw syntax("a string must be UTF-8")
        }
        return decoded
    }

    /// The slow path of ``string()``: a string with escapes.
    private mutating func escapedString(from start: Int) throws(Stop) -> String {
        var out: [UInt8] = []
        i = start
        while true {
            guard i < count else { throw syntax("expected the end of a string") }
            let b = byte
            if b == UInt8(ascii: "\"") {
                i += 1
                break
            }
            if b < 0x20 { throw syntax("a control character must be escaped in a string") }
            guard b == UInt8(ascii: "\\") else {
                out.append(b)
                i += 1
                continue
            }
            i += 1
            guard i < count else { throw syntax("expected an escape") }
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(byte)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                i += 1
                var scalar = try hex4()
                if (0xD800...0xDBFF).contains(scalar) {
                    guard i + 1 < count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                        throw syntax("a \\u escape of a high surrogate must be followed by a low one")
                    }
                    i += 2
                    let low = try hex4()
                    guard (0xDC00...0xDFFF).contains(low) else { throw syntax("a \\u escape of a low surrogate") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    throw syntax("a \\u escape that is not a lone low surrogate")
                }
                out.append(contentsOf: String(Character(Unicode.Scalar(scalar)!)).utf8)
                continue
            default:
                throw syntax("one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u after a backslash")
            }
            i += 1
        }
        guard let decoded = String(validating: out, as: UTF8.self) else {
            i = start
            throw syntax("a string must be UTF-8")
        }
        return decoded
    }

    /// Four hex digits of a `\u` escape.
    private mutating func hex4() throws(Stop) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard i < count, let digit = Self.hexValue(byte) else { throw syntax("four hex digits after \\u") }
            value = value << 4 | UInt32(digit)
            i += 1
        }
        return value
    }

    private static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): b - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// A number (at its first byte) in the JSON grammar.
    private mutating func number() throws(Stop) -> Double {
        let start = i
        if byte == UInt8(ascii: "-") { i += 1 }
        guard i < count, NumberText.isDigit(byte) else { throw syntax("expected a digit") }
        if byte == UInt8(ascii: "0") {
            i += 1
        } else {
            while i < count, NumberText.isDigit(byte) { i += 1 }
        }
        if i < count, byte == UInt8(ascii: ".") {
            i += 1
            guard i < count, NumberText.isDigit(byte) else { throw syntax("expected a digit after the decimal point") }
            while i < count, NumberText.isDigit(byte) { i += 1 }
        }
        if i < count, byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
            i += 1
            if i < count, byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") { i += 1 }
            guard i < count, NumberText.isDigit(byte) else { throw syntax("expected a digit in the exponent") }
            while i < count, NumberText.isDigit(byte) { i += 1 }
        }
        let text = UnsafeRawBufferPointer(rebasing: bytes[start..<i])
        if let value = NumberText.fastDouble(text) { return value }
        // Valid JSON: the standard library reads it (too large: infinity, refused by the ranges).
        return Double(String(decoding: text, as: UTF8.self)) ?? .infinity
    }
}
