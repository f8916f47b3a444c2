/// A strict RFC 8259 tokenizer over UTF-8 bytes in memory: the one JSON reader of the hot paths
/// (``FlowRecordValidator``, ``RecordSlot``, ``FlowRecordValues``, and the ingester's report bodies
/// and stored metrics). It never allocates: strings come back as byte ranges
/// (``JSONStringToken``), numbers as their integer value when they have one
/// (``JSONNumberToken``), and every failure as a ``JSONScanFailure`` of plain values that says
/// what went wrong, where, and what the scanner expected there, so each reader words its own
/// messages.
///
/// The scanner reads raw bytes and never binds memory; the bytes must outlive it. Callers make
/// sure `position < count` before they read ``current``. Strings are in
/// `JSONByteScanner+Strings.swift`.
public struct JSONByteScanner {
    /// The first byte.
    public let base: UnsafeRawPointer
    /// How many bytes there are.
    public let count: Int
    /// The next byte to read.
    public var position = 0
    /// The field being read, copied into every failure (the validator's).
    ///
    /// (How a reader wants numbers and nesting read is an argument of ``scanNumber(reportsLeadingZeros:)``
    /// and ``skipValue(depth:maxDepth:reportsLeadingZeros:)``, not a stored property: the
    /// validator's loops run measurably slower on a larger scanner.)
    var path = FlowFieldPath.record

    /// The validator's nesting limit.
    public static var defaultMaxDepth: Int { 32 }

    /// A scanner at the first of `count` bytes at `base`.
    public init(base: UnsafeRawPointer, count: Int) {
        self.base = base
        self.count = count
    }

    /// The byte at `index` (`0 <= index < count`).
    @inlinable @inline(__always)
    public func byte(at index: Int) -> UInt8 { base.load(fromByteOffset: index, as: UInt8.self) }

    /// The byte at `position`; only valid while `position < count`.
    @inlinable @inline(__always)
    public var current: UInt8 { byte(at: position) }

    /// Whether every byte was read.
    @inlinable @inline(__always)
    public var atEnd: Bool { position >= count }

    // MARK: - Failures

    @inline(__always) @usableFromInline
    func failure(_ problem: JSONScanProblem, at start: Int, to end: Int? = nil) -> JSONScanFailure {
        JSONScanFailure(problem: problem, start: start, end: end ?? start, path: path)
    }

    /// The failure for the byte at `position`, where `expected` should be: the end of input, or a
    /// byte that cannot start it.
    @inline(__always) @usableFromInline
    func unexpected(_ expected: JSONExpectedToken) -> JSONScanFailure {
        atEnd ? failure(.unexpectedEnd(expected: expected), at: count) : failure(.unexpectedByte(current, expected: expected), at: position)
    }

    // MARK: - Whitespace and punctuation

    /// Moves past space, tab, LF and CR.
    @inlinable @inline(__always)
    public mutating func skipWhitespace() {
        while position < count {
            let b = current
            // Space, tab, LF and CR are the only whitespace; all of them are <= 0x20.
            guard b <= 0x20, b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
            position += 1
        }
    }

    /// Skips whitespace and returns the next byte without consuming it; at the end, fails
    /// expecting `expected`.
    @inlinable @inline(__always)
    public mutating func peekToken(expecting expected: JSONExpectedToken) throws(JSONScanFailure) -> UInt8 {
        skipWhitespace()
        guard position < count else { throw failure(.unexpectedEnd(expected: expected), at: count) }
        return current
    }

    /// Skips whitespace, then consumes `byte` when it comes next; whether it did.
    @inlinable @inline(__always)
    public mutating func consume(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard position < count, current == byte else { return false }
        position += 1
        return true
    }

    /// After a value in an array (`close` is `]`) or an object (`}`): skips whitespace and consumes
    /// a `,` (returns `true`, stopped right after it) or `close` (returns `false`).
    @inlinable @inline(__always)
    public mutating func separator(close: UInt8) throws(JSONScanFailure) -> Bool {
        let expected: JSONExpectedToken = close == UInt8(ascii: "]") ? .elementSeparator : .memberSeparator
        let b = try peekToken(expecting: expected)
        guard b == UInt8(ascii: ",") || b == close else { throw unexpected(expected) }
        position += 1
        return b == UInt8(ascii: ",")
    }

    /// Consumes `:` (with whitespace around it) and stops at the first byte of the value.
    @inlinable @inline(__always)
    public mutating func colon() throws(JSONScanFailure) {
        guard try peekToken(expecting: .colon) == UInt8(ascii: ":") else { throw unexpected(.colon) }
        position += 1
        _ = try peekToken(expecting: .value)
    }

    /// After `{`: the first key, or `nil` for an empty object (its `}` consumed).
    @inlinable @inline(__always)
    public mutating func firstKey() throws(JSONScanFailure) -> JSONStringToken? {
        let b = try peekToken(expecting: .key)
        if b == UInt8(ascii: "}") {
            position += 1
            return nil
        }
        guard b == UInt8(ascii: "\"") else { throw unexpected(.key) }
        return try scanString()
    }

    /// After a member's value: the next key, or `nil` at the object's `}` (consumed).
    @inlinable @inline(__always)
    public mutating func nextKey() throws(JSONScanFailure) -> JSONStringToken? {
        guard try separator(close: UInt8(ascii: "}")) else { return nil }
        guard try peekToken(expecting: .key) == UInt8(ascii: "\"") else { throw unexpected(.key) }
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
    @inlinable @inline(__always)
    public mutating func firstElement() throws(JSONScanFailure) -> Bool {
        if try peekToken(expecting: .value) == UInt8(ascii: "]") {
            position += 1
            return false
        }
        return true
    }

    /// After an element: whether another follows (stopped at its first byte); `false` at `]`
    /// (consumed).
    @inlinable @inline(__always)
    public mutating func nextElement() throws(JSONScanFailure) -> Bool {
        guard try separator(close: UInt8(ascii: "]")) else { return false }
        _ = try peekToken(expecting: .value)
        return true
    }

    // MARK: - Values

    /// The kind of value that starts with the current byte, or a failure if no value starts so.
    @inlinable @inline(__always)
    public func kindOfValue() throws(JSONScanFailure) -> JSONValueKind {
        guard position < count else { throw failure(.unexpectedEnd(expected: .value), at: count) }
        switch current {
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .boolean
        case UInt8(ascii: "n"): return .null
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "{"): return .object
        default: throw unexpected(.value)
        }
    }

    /// Checks the value at `position` fully and moves past it. `depth` is the nesting of the
    /// value's container: an array or object at `maxDepth` fails as ``JSONScanProblem/tooDeep``.
    /// Numbers are read as ``scanNumber(reportsLeadingZeros:)`` says.
    public mutating func skipValue(
        depth: Int, maxDepth: Int = JSONByteScanner.defaultMaxDepth, reportsLeadingZeros: Bool = true
    ) throws(JSONScanFailure) {
        switch try kindOfValue() {
        case .string: _ = try scanString()
        case .number: _ = try scanNumber(reportsLeadingZeros: reportsLeadingZeros)
        case .boolean: try scanLiteral(current == UInt8(ascii: "t") ? "true" : "false")
        case .null: try scanLiteral("null")
        case .array:
            guard depth < maxDepth else { throw failure(.tooDeep, at: position) }
            position += 1
            guard try firstElement() else { return }
            repeat {
                try skipValue(depth: depth + 1, maxDepth: maxDepth, reportsLeadingZeros: reportsLeadingZeros)
            } while try nextElement()
        case .object:
            guard depth < maxDepth else { throw failure(.tooDeep, at: position) }
            position += 1
            var key = try firstKey()
            while key != nil {
                try colon()
                try skipValue(depth: depth + 1, maxDepth: maxDepth, reportsLeadingZeros: reportsLeadingZeros)
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

    /// Consumes `literal` (`true`, `false` or `null`) exactly.
    @inlinable
    public mutating func scanLiteral(_ literal: StaticString) throws(JSONScanFailure) {
        let bytes = literal.utf8Start
        for i in 0..<literal.utf8CodeUnitCount {
            guard position < count else { throw failure(.unexpectedEnd(expected: .literal(literal)), at: count) }
            guard current == bytes[i] else { throw failure(.unexpectedByte(current, expected: .literal(literal)), at: position) }
            position += 1
        }
    }

    // MARK: - Numbers

    /// Consumes a number per the JSON grammar (`-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`);
    /// its first byte (`-` or a digit) is at `position`. Its text is `base + start ..< position`
    /// after the call. `01` fails as ``JSONScanProblem/leadingZero`` when `reportsLeadingZeros`
    /// (the validator), or else is the number `0`, followed by a `1` that the caller meets where
    /// it expects a separator (a plain tokenizer's reading).
    @inlinable @inline(__always)
    public mutating func scanNumber(reportsLeadingZeros: Bool = true) throws(JSONScanFailure) -> JSONNumberToken {
        let start = position
        var p = position
        var negative = false
        if byte(at: p) == UInt8(ascii: "-") {
            negative = true
            p += 1
        }
        guard p < count else { throw failure(.unexpectedEnd(expected: .digit), at: count) }
        var magnitude: UInt64 = 0
        var b = byte(at: p)
        if b == UInt8(ascii: "0") {
            p += 1
            if p < count, Self.isDigit(byte(at: p)), reportsLeadingZeros { throw failure(.leadingZero, at: start, to: p + 1) }
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
            throw failure(.invalidNumber(expected: .digit), at: start, to: p + 1)
        }
        var isInteger = true
        if p < count, byte(at: p) == UInt8(ascii: ".") {
            isInteger = false
            p += 1
            p = try digits(from: p, numberStart: start, expected: .fractionDigit)
        }
        if p < count, byte(at: p) | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            p += 1
            if p < count, byte(at: p) == UInt8(ascii: "+") || byte(at: p) == UInt8(ascii: "-") { p += 1 }
            p = try digits(from: p, numberStart: start, expected: .exponentDigit)
        }
        position = p
        return JSONNumberToken(magnitude: magnitude, negative: negative, isInteger: isInteger)
    }

    /// One or more digits from `p`; returns the index after them.
    @inlinable @inline(__always)
    func digits(from p: Int, numberStart: Int, expected: JSONExpectedToken) throws(JSONScanFailure) -> Int {
        guard p < count else { throw failure(.unexpectedEnd(expected: expected), at: count) }
        guard Self.isDigit(byte(at: p)) else { throw failure(.invalidNumber(expected: expected), at: numberStart, to: p + 1) }
        var q = p + 1
        while q < count, Self.isDigit(byte(at: q)) { q += 1 }
        return q
    }

    /// Whether `b` is an ASCII digit.
    @inlinable @inline(__always)
    public static func isDigit(_ b: UInt8) -> Bool { b &- UInt8(ascii: "0") < 10 }

    // MARK: - Comparing

    /// Whether `count` bytes at `p` equal `name` (at most 16 bytes are compared a word at a time).
    @inlinable @inline(__always)
    public static func equals(_ p: UnsafeRawPointer, _ count: Int, _ name: StaticString) -> Bool {
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
