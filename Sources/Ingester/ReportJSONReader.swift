import TelemetryModel

/// Reads the records of a JSON body (an array of records, or one record) in one pass over its
/// bytes with ``JSONByteScanner`` (the tokenizer the sink's validator uses): strict RFC 8259
/// syntax, and per record the known fields with their types, each at most once. Foundation's
/// decoder cannot see a key given twice and names Swift types in its errors; this reader says what
/// is wrong in the API's words (`record 0: duplicate key latency_ms`, `record 2: unknown field
/// bandwith_mbps`, `record 0: expected an object, found a number`, and for syntax
/// `record 0: not valid JSON (expected , or } after a value, found '1' at byte 15)`, worded in
/// `ReportJSONReader+Syntax.swift`). Lenient, duplicate keys (the last value wins) and unknown
/// fields (skipped) are counted instead. It stops at the first syntax error, or after
/// ``ReportParser/maxProblems`` problems.
struct ReportJSONReader {
    struct Result {
        var reports: [SwitchReport] = []
        var problems: [String] = []
        var duplicateKeys = 0
        var unknownFields = 0
    }

    /// Reading cannot go on: the bytes are not JSON, or enough problems are listed.
    struct Stop: Error {}

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

    /// Values nested deeper are refused (the stores' flat objects too: ``FlatJSON``).
    static let maxDepth = 64

    static let emptyBody = "the body is empty: a JSON array of records (or one record) is required"

    /// The body. Numbers are read as a tokenizer does (`01` is `0`, then a `1` where a separator
    /// belongs), values nested at most ``maxDepth`` deep.
    var s: JSONByteScanner
    private let lenient: Bool
    /// The record being read, for messages.
    var record: Int?
    var result = Result()

    private init(scanner: JSONByteScanner, lenient: Bool) {
        s = scanner
        self.lenient = lenient
    }

    /// The records of `bytes`, or the problems that refuse them.
    static func read(_ bytes: UnsafeRawBufferPointer, lenient: Bool) -> Result {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return Result(problems: [emptyBody]) }
        let scanner = JSONByteScanner(base: base, count: bytes.count)
        var reader = ReportJSONReader(scanner: scanner, lenient: lenient)
        do throws(Stop) {
            try reader.body()
        } catch {
            // The problems say why.
        }
        return reader.result
    }

    // MARK: - Structure

    private mutating func body() throws(Stop) {
        s.skipWhitespace()
        guard !s.atEnd else {
            result.problems.append(Self.emptyBody)
            throw Stop()
        }
        switch s.current {
        case UInt8(ascii: "["):
            s.position += 1
            if !s.consume(UInt8(ascii: "]")) {
                var index = 0
                repeat {
                    try element(index)
                    index += 1
                } while try separator(UInt8(ascii: "]"), "expected , or ] after a record")
            }
        case UInt8(ascii: "{"):
            try element(0)
        default:
            let kind = try scan { s throws(JSONScanFailure) in try s.kindOfValue() }
            try problem("the body: expected an array of records or one record (an object), found \(kind.name)")
            throw Stop()
        }
        record = nil
        s.skipWhitespace()
        guard s.atEnd else { throw syntax("expected the end of the body after the JSON value") }
    }

    /// After a record: `true` past a `,`, `false` past `close`; otherwise a syntax error that
    /// expected `expected`.
    private mutating func separator(_ close: UInt8, _ expected: String) throws(Stop) -> Bool {
        do throws(JSONScanFailure) {
            return try s.separator(close: close)
        } catch {
            throw syntax(expected)
        }
    }

    private mutating func element(_ index: Int) throws(Stop) {
        record = index
        s.skipWhitespace()
        let kind = try scan { s throws(JSONScanFailure) in try s.kindOfValue() }
        guard kind == .object else {
            try skip(depth: 1)
            try problem("record \(index): expected an object, found \(kind.name)")
            return
        }
        if let report = try object(index) { result.reports.append(report) }
        record = nil
    }

    /// One record (at its `{`); nil when it has problems (listed).
    private mutating func object(_ index: Int) throws(Stop) -> SwitchReport? {
        s.position += 1
        let problemsBefore = result.problems.count
        var seen: UInt16 = 0
        var values = Values()
        var hint = 0
        var token = try scan { s throws(JSONScanFailure) in try s.firstKey() }
        while let name = token {
            let key = self.key(name, hint: hint)
            guard s.consume(UInt8(ascii: ":")) else { throw syntax("expected : after a key") }
            s.skipWhitespace()
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
                try skip(depth: 1)
            }
            token = try scan { s throws(JSONScanFailure) in try s.nextKey() }
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
        let kind = try scan { s throws(JSONScanFailure) in try s.kindOfValue() }
        let required = ReportField.required.contains(field)
        if kind == .null {
            try scan { s throws(JSONScanFailure) in try s.scanLiteral("null") }
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
            let text = try scan { s throws(JSONScanFailure) in try s.scanString() }
            // Only the kept strings are decoded (generator_id is accepted, not kept).
            set(field, number: nil, text: field == .generatorID ? nil : s.decodedString(text), into: &values)
        case (.strings, .array):
            s.position += 1
            guard try scan({ s throws(JSONScanFailure) in try s.firstElement() }) else { return }
            var wrong: JSONValueKind?
            repeat {
                let element = try scan { s throws(JSONScanFailure) in try s.kindOfValue() }
                if element != .string { wrong = wrong ?? element }
                try skip(depth: 2)
            } while try scan({ s throws(JSONScanFailure) in try s.nextElement() })
            if let wrong { try problem("record \(index): \(field.name): expected \(Self.expected(field)), found \(wrong.name) in it") }
        default:
            try skip(depth: 1)
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

    // MARK: - Tokens

    /// A key the scanner read: one of the record's fields, compared byte for byte (the field
    /// after the previous one first: senders keep an order), or an unknown name.
    private func key(_ token: JSONStringToken, hint: Int) -> Key {
        guard !token.hasEscapes else {
            let name = s.decodedString(token)
            return ReportField.byName[name].map(Key.known) ?? .unknown(name)
        }
        let p = s.base + token.start
        let n = token.end - token.start
        if hint < ReportField.staticNames.count, JSONByteScanner.equals(p, n, ReportField.staticNames[hint]) { return .known(ReportField(rawValue: hint)!) }
        for (index, name) in ReportField.staticNames.enumerated() where JSONByteScanner.equals(p, n, name) {
            return .known(ReportField(rawValue: index)!)
        }
        return .unknown(s.decodedString(token))
    }

    /// A number (at its first byte) as a Double: exact for integers up to 2^53, else from its text
    /// (too large: infinity, refused by the ranges).
    private mutating func number() throws(Stop) -> Double {
        let start = s.position
        let token = try scan { s throws(JSONScanFailure) in try s.scanNumber(reportsLeadingZeros: false) }
        if let value = token.exactDouble { return value }
        let text = UnsafeRawBufferPointer(start: s.base + start, count: s.position - start)
        if let value = NumberText.fastDouble(text) { return value }
        return Double(String(decoding: text, as: UTF8.self)) ?? .infinity
    }

    /// Checks a value (at its first byte) that is not kept, and moves past it.
    private mutating func skip(depth: Int) throws(Stop) {
        try scan { s throws(JSONScanFailure) in try s.skipValue(depth: depth, maxDepth: Self.maxDepth, reportsLeadingZeros: false) }
    }

    /// One step of the scanner; its failure is this reader's syntax error.
    @inline(__always)
    private mutating func scan<T>(_ step: (inout JSONByteScanner) throws(JSONScanFailure) -> T) throws(Stop) -> T {
        do throws(JSONScanFailure) {
            return try step(&s)
        } catch {
            throw syntax(error)
        }
    }

    // MARK: - Problems

    /// Lists a problem; stops once ``ReportParser/maxProblems`` are listed.
    private mutating func problem(_ text: String) throws(Stop) {
        result.problems.append(text)
        if result.problems.count >= ReportParser.maxProblems { throw Stop() }
    }
}
