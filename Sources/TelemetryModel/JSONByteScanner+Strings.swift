/// Strings: scanning (escapes, `\u` surrogate pairs, control characters, UTF-8) without
/// allocating, and the decoded contents of a scanned string.
extension JSONByteScanner {
    // MARK: - Scanning

    /// Consumes a string whose opening quote is at `position`, checking escapes and, unless
    /// `validatingUTF8` is `false`, UTF-8 (then bytes above 0x7F are taken as they are, and only
    /// the syntax is checked).
    @inlinable @inline(__always)
    public mutating func scanString(validatingUTF8: Bool = true) throws(JSONScanFailure) -> JSONStringToken {
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
                throw failure(.unexpectedEnd(expected: .stringEnd), at: count)
            }
            let b = byte(at: p)
            if b == UInt8(ascii: "\"") { break }
            if b == UInt8(ascii: "\\") {
                p = try escape(at: p, savedBytes: &savedBytes)
            } else if b < 0x20 {
                throw failure(.controlCharacter(b), at: p)
            } else if b >= 0x80 && validatingUTF8 {
                p = try utf8Sequence(at: p, string: start)
            } else {
                p += 1  // a plain byte, only met in the last seven bytes of the input (or not validated)
            }
        }
        position = p + 1
        return JSONStringToken(start: start, end: p, decodedCount: p - start - savedBytes)
    }

    /// For eight bytes (the first in the low bits), the high bit of the first byte that is `"`,
    /// `\`, below 0x20 or above 0x7F is set, and no bit below it. Zero when there is none.
    /// (Borrows in the byte-wise subtractions only travel upwards, past a byte already flagged.)
    @inlinable @inline(__always)
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
    @inline(__always) @usableFromInline
    func escape(at p: Int, savedBytes: inout Int) throws(JSONScanFailure) -> Int {
        guard p + 1 < count else { throw failure(.unexpectedEnd(expected: .escapedCharacter), at: count) }
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
                guard p + 7 < count else { throw failure(.unexpectedEnd(expected: .lowSurrogate(at: p + 6)), at: count) }
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
            throw failure(.invalidEscape(expected: .escapedCharacter), at: p, to: p + 2)
        }
    }

    /// The value of four hex digits at `p`.
    private func hex4(at p: Int, escapeStart: Int) throws(JSONScanFailure) -> UInt32 {
        var value: UInt32 = 0
        for i in p..<(p + 4) {
            guard i < count else { throw failure(.unexpectedEnd(expected: .hexDigit), at: count) }
            guard let digit = Self.hexValue(byte(at: i)) else { throw failure(.invalidEscape(expected: .hexDigit), at: escapeStart, to: i + 1) }
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

    /// Checks one multi-byte UTF-8 sequence at `p` (its lead byte is >= 0x80) in the string whose
    /// contents start at `string`: no overlong forms, no surrogates, nothing above U+10FFFF.
    /// Returns the index after it.
    @usableFromInline
    func utf8Sequence(at p: Int, string: Int) throws(JSONScanFailure) -> Int {
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
        default: throw failure(.invalidUTF8(lead, string: string), at: p)
        }
        for i in 1..<length {
            guard p + i < count else { throw failure(.invalidUTF8(lead, string: string), at: p, to: count) }
            let b = byte(at: p + i)
            let valid = i == 1 ? secondRange.contains(b) : b & 0xC0 == 0x80
            guard valid else { throw failure(.invalidUTF8(b, string: string), at: p + i) }
        }
        return p + length
    }

    /// The UTF-16 code unit of the `\u` escape whose backslash is at `p` (its four hex digits
    /// checked by ``scanString(validatingUTF8:)``).
    public func unicodeEscape(at p: Int) -> UInt32 {
        var value: UInt32 = 0
        for i in (p + 2)..<(p + 6) { value = value << 4 | UInt32(Self.hexValue(byte(at: i)) ?? 0) }
        return value
    }

    // MARK: - Contents

    /// Calls `body` with each byte of the string's decoded UTF-8 contents. The string must have
    /// been checked by ``scanString(validatingUTF8:)``.
    public func forEachDecodedByte(_ token: JSONStringToken, _ body: (UInt8) -> Void) {
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
            var scalar = unicodeEscape(at: p)
            p += 6
            if (0xD800...0xDBFF).contains(scalar) {
                scalar = 0x10000 + (scalar - 0xD800) << 10 + (unicodeEscape(at: p) - 0xDC00)
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

    /// The decoded contents of a string checked by ``scanString(validatingUTF8:)``, as a `String`
    /// (allocates). Only the token's range is used (its `decodedCount` may be a guess). A string
    /// scanned without validating UTF-8 has its invalid bytes replaced.
    public func decodedString(_ token: JSONStringToken) -> String {
        let raw = UnsafeRawBufferPointer(start: base + token.start, count: token.end - token.start)
        guard raw.contains(UInt8(ascii: "\\")) else { return String(decoding: raw, as: UTF8.self) }
        // Every escape is longer than what it decodes to.
        return String(unsafeUninitializedCapacity: raw.count) { buffer in
            var i = 0
            forEachDecodedByte(token) { b in
                buffer[i] = b
                i += 1
            }
            return i
        }
    }
}
