/// A strict RFC 8259 tokenizer over the UTF-8 bytes of one record, used by
/// ``FlowRecordValidator``. It never allocates: strings come back as byte ranges, numbers as their
/// integer value when they have one, and every failure as a ``JSONScanFailure`` of plain values.
///
/// The scanner reads raw bytes and never binds memory. Callers make sure `position < count`
/// before they read the current byte.
struct JSONByteScanner {
    let base: UnsafeRawPointer
    let count: Int
    var position = 0
    /// The field being read, copied into every failure.
    var path = FlowFieldPath.record

    /// Limits the nesting of values that are only skipped (values of the wrong type).
    static var maxDepth: Int { 32 }

    init(base: UnsafeRawPointer, count: Int) {
        self.base = base
        self.count = count
    }

    @inline(__always)
    func byte(at index: Int) -> UInt8 { base.load(fromByteOffset: index, as: UInt8.self) }

    /// The byte at `position`; only valid while `position < count`.
    @inline(__always)
    var current: UInt8 { byte(at: position) }

    @inline(__always)
    var atEnd: Bool { position >= count }

    // MARK: - Failures

    @inline(__always)
    func failure(_ problem: JSONScanProblem, at start: Int, to end: Int? = nil) -> JSONScanFailure {
        JSONScanFailure(problem: problem, start: start, end: end ?? start, path: path)
    }

    /// The failure for the byte at `position`: the end of input, or a byte that cannot start
    /// what is expected there.
    @inline(__always)
    func unexpected() -> JSONScanFailure {
        atEnd ? failure(.unexpectedEnd, at: count) : failure(.unexpectedByte(current), at: position)
    }

    // MARK: - Whitespace and punctuation

    @inline(__always)
    mutating func skipWhitespace() {
        while position < count {
            let b = current
            // Space, tab, LF and CR are the only whitespace; all of them are <= 0x20.
            guard b <= 0x20, b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
            position += 1
        }
    }

    /// Skips whitespace and returns the next byte without consuming it.
    @inline(__always)
    mutating func peekToken() throws(JSONScanFailure) -> UInt8 {
        skipWhitespace()
        guard position < count else { throw failure(.unexpectedEnd, at: count) }
        return current
    }

    /// Consumes `:` (with whitespace around it) and stops at the first byte of the value.
    @inline(__always)
    mutating func colon() throws(JSONScanFailure) {
        guard try peekToken() == UInt8(ascii: ":") else { throw unexpected() }
        position += 1
        _ = try peekToken()
    }

    /// After `{`: the first key, or `nil` for an empty object (its `}` consumed).
    @inline(__always)
    mutating func firstKey() throws(JSONScanFailure) -> JSONStringToken? {
        let b = try peekToken()
        if b == UInt8(ascii: "}") {
            position += 1
            return nil
        }
        guard b == UInt8(ascii: "\"") else { throw unexpected() }
        return try scanString()
    }

    /// After a member's value: the next key, or `nil` at the object's `}` (consumed).
    @inline(__always)
    mutating func nextKey() throws(JSONScanFailure) -> JSONStringToken? {
        let b = try peekToken()
        if b == UInt8(ascii: "}") {
            position += 1
            return nil
        }
        guard b == UInt8(ascii: ",") else { throw unexpected() }
        position += 1
        guard try peekToken() == UInt8(ascii: "\"") else { throw unexpected() }
        return try scanString()
    }

    /// Consumes a key that is exactly `"name"` (the opening quote at `position`); `nil`, consuming
    /// nothing, when the bytes differ. Such a key has no escapes, so it needs no other check.
    @inline(__always)
    mutating func scanKey(_ name: StaticString) -> JSONStringToken? {
        let length = name.utf8CodeUnitCount
        let start = position + 1
        let end = start + length
        guard end < count, byte(at: end) == UInt8(ascii: "\""), Self.equals(base + start, length, name) else { return nil }
        position = end + 1
        return JSONStringToken(start: start, end: end, decodedCount: length)
    }

    /// After `[`: whether an element follows (stopped at its first byte); `false` for `[]` (its
    /// `]` consumed).
    @inline(__always)
    mutating func firstElement() throws(JSONScanFailure) -> Bool {
        if try peekToken() == UInt8(ascii: "]") {
            position += 1
            return false
        }
        return true
    }

    /// After an element: whether another follows (stopped at its first byte); `false` at `]`
    /// (consumed).
    @inline(__always)
    mutating func nextElement() throws(JSONScanFailure) -> Bool {
        let b = try peekToken()
        if b == UInt8(ascii: "]") {
            position += 1
            return false
        }
        guard b == UInt8(ascii: ",") else { throw unexpected() }
        position += 1
        _ = try peekToken()
        return true
    }

    // MARK: - Values

    /// The kind of value that starts with the current byte, or a failure if no value starts so.
    @inline(__always)
    func kindOfValue() throws(JSONScanFailure) -> JSONValueKind {
        guard position < count else { throw failure(.unexpectedEnd, at: count) }
        switch current {
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .boolean
        case UInt8(ascii: "n"): return .null
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "{"): return .object
        default: throw unexpected()
        }
    }

    /// Checks the value at `position` fully and moves past it. `depth` is the nesting of the
    /// value's container.
    mutating func skipValue(depth: Int) throws(JSONScanFailure) {
        switch try kindOfValue() {
        case .string: _ = try scanString()
        case .number: _ = try scanNumber()
        case .boolean: try scanLiteral(current == UInt8(ascii: "t") ? "true" : "false")
        case .null: try scanLiteral("null")
        case .array:
            guard depth < Self.maxDepth else { throw failure(.tooDeep, at: position) }
            position += 1
            guard try firstElement() else { return }
            repeat { try skipValue(depth: depth + 1) } while try nextElement()
        case .object:
            guard depth < Self.maxDepth else { throw failure(.tooDeep, at: position) }
            position += 1
            var key = try firstKey()
            while key != nil {
                try colon()
                try skipValue(depth: depth + 1)
                key = try nextKey()
            }
        }
    }

    /// Checks the value at `position` and returns the failure that reports it as the wrong type
    /// (a failure of its own if the value is not valid JSON).
    mutating func wrongType(expected: JSONExpectedType) throws(JSONScanFailure) -> JSONScanFailure {
        let start = position
        let kind = try kindOfValue()
        try skipValue(depth: 1)
        return failure(.wrongType(expected: expected, found: kind), at: start, to: position)
    }

    /// Consumes `literal` exactly.
    mutating func scanLiteral(_ literal: StaticString) throws(JSONScanFailure) {
        let bytes = literal.utf8Start
        for i in 0..<literal.utf8CodeUnitCount {
            guard position < count else { throw failure(.unexpectedEnd, at: count) }
            guard current == bytes[i] else { throw failure(.unexpectedByte(current), at: position) }
            position += 1
        }
    }

    // MARK: - Numbers

    /// Consumes a number per the JSON grammar (`-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`).
    @inline(__always)
    mutating func scanNumber() throws(JSONScanFailure) -> JSONNumberToken {
        let start = position
        var p = position
        var negative = false
        if byte(at: p) == UInt8(ascii: "-") {
            negative = true
            p += 1
        }
        guard p < count else { throw failure(.unexpectedEnd, at: count) }
        var magnitude: UInt64 = 0
        var b = byte(at: p)
        if b == UInt8(ascii: "0") {
            p += 1
            if p < count, Self.isDigit(byte(at: p)) { throw failure(.leadingZero, at: start, to: p + 1) }
        } else if Self.isDigit(b) {
            let digitsStart = p
            repeat {
                magnitude = magnitude &* 10 &+ UInt64(b &- UInt8(ascii: "0"))
                p += 1
                guard p < count else { break }
                b = byte(at: p)
            } while Self.isDigit(b)
            // 19 digits always fit in UInt64; more never fit in Int64.
            if p - digitsStart > 19 { magnitude = .max }
        } else {
            throw failure(.invalidNumber, at: start, to: p + 1)
        }
        var isInteger = true
        if p < count, byte(at: p) == UInt8(ascii: ".") {
            isInteger = false
            p += 1
            p = try digits(from: p, numberStart: start)
        }
        if p < count, byte(at: p) | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            p += 1
            if p < count, byte(at: p) == UInt8(ascii: "+") || byte(at: p) == UInt8(ascii: "-") { p += 1 }
            p = try digits(from: p, numberStart: start)
        }
        position = p
        return JSONNumberToken(magnitude: magnitude, negative: negative, isInteger: isInteger)
    }

    /// One or more digits from `p`; returns the index after them.
    @inline(__always)
    private func digits(from p: Int, numberStart: Int) throws(JSONScanFailure) -> Int {
        guard p < count else { throw failure(.unexpectedEnd, at: count) }
        guard Self.isDigit(byte(at: p)) else { throw failure(.invalidNumber, at: numberStart, to: p + 1) }
        var q = p + 1
        while q < count, Self.isDigit(byte(at: q)) { q += 1 }
        return q
    }

    @inline(__always)
    static func isDigit(_ b: UInt8) -> Bool { b &- UInt8(ascii: "0") < 10 }

    // MARK: - Strings

    /// Consumes a string whose opening quote is at `position`, checking escapes and UTF-8.
    @inline(__always)
    mutating func scanString() throws(JSONScanFailure) -> JSONStringToken {
        let start = position + 1
        var p = start
        var savedBytes = 0
        while true {
            if p + 8 <= count {
                // Eight bytes at a time, stopping exactly at the first one that needs a look.
                let mask = Self.attentionMask(UInt64(littleEndian: base.loadUnaligned(fromByteOffset: p, as: UInt64.self)))
                if mask == 0 {
                    p += 8
                    continue
                }
                p += mask.trailingZeroBitCount >> 3
            } else if p >= count {
                throw failure(.unexpectedEnd, at: count)
            }
            let b = byte(at: p)
            if b == UInt8(ascii: "\"") { break }
            if b == UInt8(ascii: "\\") {
                p = try escape(at: p, savedBytes: &savedBytes)
            } else if b < 0x20 {
                throw failure(.controlCharacter(b), at: p)
            } else if b >= 0x80 {
                p = try utf8Sequence(at: p)
            } else {
                p += 1  // a plain byte, only met in the last seven bytes of the record
            }
        }
        position = p + 1
        return JSONStringToken(start: start, end: p, decodedCount: p - start - savedBytes)
    }

    /// For eight bytes (the first in the low bits), the high bit of the first byte that is `"`,
    /// `\`, below 0x20 or above 0x7F is set, and no bit below it. Zero when there is none.
    /// (Borrows in the byte-wise subtractions only travel upwards, past a byte already flagged.)
    @inline(__always)
    static func attentionMask(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let zeroInQuote = (quote &- ones) & ~quote
        let zeroInBackslash = (backslash &- ones) & ~backslash
        let belowSpace = word &- (ones &* 0x20)
        return (zeroInQuote | zeroInBackslash | belowSpace | word) & highs
    }

    /// Checks the escape at `p` (a backslash); returns the index after it.
    @inline(__always)
    private func escape(at p: Int, savedBytes: inout Int) throws(JSONScanFailure) -> Int {
        guard p + 1 < count else { throw failure(.unexpectedEnd, at: count) }
        switch byte(at: p + 1) {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
            UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            savedBytes += 1
            return p + 2
        case UInt8(ascii: "u"):
            let unit = try hex4(at: p + 2, escapeStart: p)
            switch unit {
            case 0xD800...0xDBFF:
                // A high surrogate must be followed by an escaped low surrogate.
                guard p + 7 < count else { throw failure(.unexpectedEnd, at: count) }
                guard byte(at: p + 6) == UInt8(ascii: "\\"), byte(at: p + 7) == UInt8(ascii: "u") else {
                    throw failure(.loneSurrogate, at: p, to: p + 6)
                }
                let low = try hex4(at: p + 8, escapeStart: p + 6)
                guard (0xDC00...0xDFFF).contains(low) else { throw failure(.loneSurrogate, at: p, to: p + 12) }
                savedBytes += 12 - 4
                return p + 12
            case 0xDC00...0xDFFF:
                throw failure(.loneSurrogate, at: p, to: p + 6)
            default:
                savedBytes += 6 - (unit < 0x80 ? 1 : unit < 0x800 ? 2 : 3)
                return p + 6
            }
        default:
            throw failure(.invalidEscape, at: p, to: p + 2)
        }
    }

    /// The value of four hex digits at `p`.
    private func hex4(at p: Int, escapeStart: Int) throws(JSONScanFailure) -> UInt32 {
        var value: UInt32 = 0
        for i in p..<(p + 4) {
            guard i < count else { throw failure(.unexpectedEnd, at: count) }
            guard let digit = Self.hexValue(byte(at: i)) else { throw failure(.invalidEscape, at: escapeStart, to: i + 1) }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): b - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Checks one multi-byte UTF-8 sequence at `p` (its lead byte is >= 0x80): no overlong forms,
    /// no surrogates, nothing above U+10FFFF. Returns the index after it.
    private func utf8Sequence(at p: Int) throws(JSONScanFailure) -> Int {
        let lead = byte(at: p)
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; secondRange = 0x80...0x9F
        case 0xF0: length = 4; secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; secondRange = 0x80...0x8F
        default: throw failure(.invalidUTF8(lead), at: p)
        }
        for i in 1..<length {
            guard p + i < count else { throw failure(.invalidUTF8(lead), at: p, to: count) }
            let b = byte(at: p + i)
            let valid = i == 1 ? secondRange.contains(b) : b & 0xC0 == 0x80
            guard valid else { throw failure(.invalidUTF8(b), at: p + i) }
        }
        return p + length
    }

    // MARK: - String contents

    /// Calls `body` with each byte of the string's decoded UTF-8 contents. The string must have
    /// been checked by ``scanString()``.
    func forEachDecodedByte(_ token: JSONStringToken, _ body: (UInt8) -> Void) {
        var p = token.start
        while p < token.end {
            let b = byte(at: p)
            guard b == UInt8(ascii: "\\") else {
                body(b)
                p += 1
                continue
            }
            let e = byte(at: p + 1)
            switch e {
            case UInt8(ascii: "b"): body(0x08)
            case UInt8(ascii: "f"): body(0x0C)
            case UInt8(ascii: "n"): body(0x0A)
            case UInt8(ascii: "r"): body(0x0D)
            case UInt8(ascii: "t"): body(0x09)
            case UInt8(ascii: "u"): break
            default: body(e)
            }
            guard e == UInt8(ascii: "u") else {
                p += 2
                continue
            }
            var scalar = hex4Unchecked(at: p + 2)
            p += 6
            if (0xD800...0xDBFF).contains(scalar) {
                scalar = 0x10000 + (scalar - 0xD800) << 10 + (hex4Unchecked(at: p + 2) - 0xDC00)
                p += 6
            }
            switch scalar {
            case 0..<0x80:
                body(UInt8(scalar))
            case 0x80..<0x800:
                body(UInt8(0xC0 | scalar >> 6))
                body(UInt8(0x80 | scalar & 0x3F))
            case 0x800..<0x10000:
                body(UInt8(0xE0 | scalar >> 12))
                body(UInt8(0x80 | scalar >> 6 & 0x3F))
                body(UInt8(0x80 | scalar & 0x3F))
            default:
                body(UInt8(0xF0 | scalar >> 18))
                body(UInt8(0x80 | scalar >> 12 & 0x3F))
                body(UInt8(0x80 | scalar >> 6 & 0x3F))
                body(UInt8(0x80 | scalar & 0x3F))
            }
        }
    }

    private func hex4Unchecked(at p: Int) -> UInt32 {
        var value: UInt32 = 0
        for i in p..<(p + 4) { value = value << 4 | UInt32(Self.hexValue(byte(at: i)) ?? 0) }
        return value
    }

    /// The contents of a string written without escapes, in place; `nil` when it has escapes
    /// (then use ``withDecodedShortContents(_:_:)``).
    @inline(__always)
    func plainContents(_ token: JSONStringToken) -> UnsafeRawPointer? {
        token.hasEscapes ? nil : base + token.start
    }

    /// Calls `body` with a decoded copy (on the stack) of an escaped string of at most 16 decoded
    /// bytes, or with `nil` for a longer one. None of the names compared this way is longer.
    @inline(never)
    func withDecodedShortContents<R>(_ token: JSONStringToken, _ body: (UnsafeRawPointer?, Int) -> R) -> R {
        guard token.decodedCount <= 16 else { return body(nil, token.decodedCount) }
        var storage: (UInt64, UInt64) = (0, 0)
        return withUnsafeMutableBytes(of: &storage) { buffer in
            var i = 0
            forEachDecodedByte(token) { b in
                buffer[i] = b
                i += 1
            }
            return body(UnsafeRawPointer(buffer.baseAddress!), token.decodedCount)
        }
    }

    /// `match` applied to a short string's decoded contents (`nil` for longer strings).
    @inline(__always)
    func matchShort<R>(_ token: JSONStringToken, _ match: (UnsafeRawPointer, Int) -> R?) -> R? {
        if let p = plainContents(token) { return match(p, token.decodedCount) }
        return withDecodedShortContents(token) { p, n in p.flatMap { match($0, n) } }
    }

    /// The decoded contents as a `String` (allocates; for error messages and lineage).
    func decodedString(_ token: JSONStringToken) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(token.decodedCount)
        forEachDecodedByte(token) { bytes.append($0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether `count` bytes at `p` equal `name`.
    @inline(__always)
    static func equals(_ p: UnsafeRawPointer, _ count: Int, _ name: StaticString) -> Bool {
        guard count == name.utf8CodeUnitCount else { return false }
        let q = UnsafeRawPointer(name.utf8Start)
        switch count {
        case 8...16:
            return p.loadUnaligned(as: UInt64.self) == q.loadUnaligned(as: UInt64.self)
                && p.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self) == q.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        case 4..<8:
            return p.loadUnaligned(as: UInt32.self) == q.loadUnaligned(as: UInt32.self)
                && p.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self) == q.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
        default:
            for i in 0..<count where p.load(fromByteOffset: i, as: UInt8.self) != q.load(fromByteOffset: i, as: UInt8.self) {
                return false
            }
            return true
        }
    }
}

// MARK: - Tokens

/// A scanned string: the bytes between its quotes, `start..<end`, still escaped.
struct JSONStringToken {
    var start: Int
    var end: Int
    /// Length of the contents once escapes are decoded, in UTF-8 bytes.
    var decodedCount: Int

    /// Every escape is longer than what it decodes to, so a shorter decoded length means escapes.
    @inline(__always)
    var hasEscapes: Bool { decodedCount != end - start }
}

/// A scanned number. `magnitude` is exact for integers up to 19 digits and `UInt64.max` beyond.
struct JSONNumberToken {
    var magnitude: UInt64
    var negative: Bool
    /// No fraction and no exponent.
    var isInteger: Bool

    /// The value as an Int64, or `nil` when it does not fit.
    @inline(__always)
    var int64: Int64? {
        if negative {
            return magnitude <= UInt64(Int64.max) + 1 ? Int64(truncatingIfNeeded: 0 &- magnitude) : nil
        }
        return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
    }
}

/// The JSON type of a value, judged from its first byte.
public enum JSONValueKind: Sendable {
    case string, number, boolean, null, array, object

    /// The type in a message's words (`an object`).
    public var name: String {
        switch self {
        case .string: "a string"
        case .number: "a number"
        case .boolean: "a boolean"
        case .null: "null"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// What a field requires.
enum JSONExpectedType: Sendable {
    case integer, string, array, object

    var name: String {
        switch self {
        case .integer: "an integer"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

// MARK: - Failures

/// One reason a record fails, held as plain values; ``FlowRecordError`` turns it into text.
enum JSONScanProblem: Sendable {
    // Syntax (invalid_json)
    case emptyRecord
    case unexpectedEnd
    case unexpectedByte(UInt8)
    case invalidUTF8(UInt8)
    case controlCharacter(UInt8)
    case invalidEscape
    case loneSurrogate
    case invalidNumber
    case leadingZero
    case trailingBytes
    // Limits (too_large)
    case tooDeep
    case recordTooLarge(limit: Int)
    // Shape and values
    case notObject(JSONValueKind)
    case missing
    case wrongType(expected: JSONExpectedType, found: JSONValueKind)
    case notInteger
    case outOfRange(ClosedRange<Int64>)
    case doesNotFitInt64
    case lengthOutOfRange(ClosedRange<Int>, actual: Int)
    case badIP
    case unknownValue(FlowVocabularyKind)
    case unknownField(JSONStringToken)
    case duplicateKey
    case repeatedName

    var reason: FlowRejectReason {
        switch self {
        case .emptyRecord, .unexpectedEnd, .unexpectedByte, .invalidUTF8, .controlCharacter, .invalidEscape,
            .loneSurrogate, .invalidNumber, .leadingZero, .trailingBytes:
            .invalidJSON
        case .tooDeep, .recordTooLarge: .tooLarge
        case .notObject: .notObject
        case .missing: .missingField
        case .wrongType, .notInteger: .wrongType
        case .outOfRange, .doesNotFitInt64, .lengthOutOfRange: .outOfRange
        case .badIP: .badIP
        case .unknownValue: .unknownValue
        case .unknownField: .unknownField
        case .duplicateKey, .repeatedName: .duplicateField
        }
    }
}

/// A list of names a field's value comes from.
public enum FlowVocabularyKind: Sendable {
    case transportProtocol, tcpFlag, anomalyLabel, malformedKind, incidentID, technique, stage

    /// The names, as an error message lists them.
    public var names: [String] {
        switch self {
        case .transportProtocol: TransportProtocol.allCases.map(\.name)
        case .tcpFlag: TCPFlags.writeOrder.map(\.1.description)
        case .anomalyLabel: AnomalyLabel.flowLabels.map(\.name)
        case .malformedKind: MalformedKind.allCases.map(\.name)
        case .incidentID: ["inc- and 16 hex digits naming a family (" + IncidentFamily.allCases.dropFirst().map { "\($0.rawValue) \($0.name)" }.joined(separator: ", ") + ") in the first byte"]
        case .technique: IncidentFamily.techniques
        case .stage: IncidentFamily.stages
        }
    }
}

/// A failure at bytes `start..<end` of the record, while reading `path`.
struct JSONScanFailure: Error {
    var problem: JSONScanProblem
    var start: Int
    var end: Int
    var path: FlowFieldPath
}
