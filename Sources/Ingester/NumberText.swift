/// Numbers from their text without a detour through `String`: the JSON grammar
/// (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`), converted exactly when the digits fit the
/// fast path (at most 2^53 as an integer, a power of ten up to 10^22: one correctly rounded IEEE
/// operation); nil otherwise, and the caller asks the standard library.
enum NumberText {
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    @inline(__always)
    static func isDigit(_ b: UInt8) -> Bool { b &- UInt8(ascii: "0") < 10 }

    /// The value of `text` when it is a JSON number that converts on the fast path.
    static func fastDouble(_ text: UnsafeRawBufferPointer) -> Double? {
        let n = text.count
        var i = 0
        var negative = false
        if i < n, text[i] == UInt8(ascii: "-") {
            negative = true
            i += 1
        }
        guard i < n, isDigit(text[i]) else { return nil }
        var mantissa: UInt64 = 0
        var digits = 0
        var exponent = 0
        if text[i] == UInt8(ascii: "0") {
            i += 1
        } else {
            while i < n, isDigit(text[i]) {
                mantissa = mantissa &* 10 &+ UInt64(text[i] &- UInt8(ascii: "0"))
                digits += 1
                i += 1
            }
        }
        if i < n, text[i] == UInt8(ascii: ".") {
            i += 1
            guard i < n, isDigit(text[i]) else { return nil }
            while i < n, isDigit(text[i]) {
                if mantissa != 0 || text[i] != UInt8(ascii: "0") { digits += 1 }
                mantissa = mantissa &* 10 &+ UInt64(text[i] &- UInt8(ascii: "0"))
                exponent -= 1
                i += 1
            }
        }
        if i < n, text[i] == UInt8(ascii: "e") || text[i] == UInt8(ascii: "E") {
            i += 1
            var negativeExponent = false
            if i < n, text[i] == UInt8(ascii: "+") || text[i] == UInt8(ascii: "-") {
                negativeExponent = text[i] == UInt8(ascii: "-")
                i += 1
            }
            guard i < n, isDigit(text[i]) else { return nil }
            var value = 0
            while i < n, isDigit(text[i]) {
                if value < 10_000 { value = value * 10 + Int(text[i] &- UInt8(ascii: "0")) }
                i += 1
            }
            exponent += negativeExponent ? -value : value
        }
        // Up to 15 significant digits cannot have wrapped and stay under 2^53.
        guard i == n, digits <= 15, mantissa <= 1 << 53, (-22...22).contains(exponent) else { return nil }
        var value = Double(mantissa)
        value = exponent >= 0 ? value * powersOfTen[exponent] : value / powersOfTen[-exponent]
        return negative ? -value : value
    }

    /// Whether `text` is a decimal number: `[+-]?` digits with an optional fraction (`1.`, `.5`),
    /// then an optional exponent. Not hexadecimal (`0x10`, `0x1p3`), `inf` or `nan`, which the
    /// standard library's parser also takes.
    static func isDecimal(_ text: UnsafeRawBufferPointer) -> Bool {
        let n = text.count
        var i = 0
        if i < n, text[i] == UInt8(ascii: "-") || text[i] == UInt8(ascii: "+") { i += 1 }
        var digits = 0
        while i < n, isDigit(text[i]) {
            digits += 1
            i += 1
        }
        if i < n, text[i] == UInt8(ascii: ".") {
            i += 1
            while i < n, isDigit(text[i]) {
                digits += 1
                i += 1
            }
        }
        guard digits > 0 else { return false }
        if i < n, text[i] == UInt8(ascii: "e") || text[i] == UInt8(ascii: "E") {
            i += 1
            if i < n, text[i] == UInt8(ascii: "-") || text[i] == UInt8(ascii: "+") { i += 1 }
            guard i < n, isDigit(text[i]) else { return false }
            while i < n, isDigit(text[i]) { i += 1 }
        }
        return i == n
    }

    /// A whole number in `-?[0-9]+` that fits an `Int64`, nil otherwise.
    static func int64(_ text: UnsafeRawBufferPointer) -> Int64? {
        let n = text.count
        var i = 0
        var negative = false
        if i < n, text[i] == UInt8(ascii: "-") {
            negative = true
            i += 1
        }
        guard i < n, n - i <= 18 else { return nil }
        var value: Int64 = 0
        while i < n {
            guard isDigit(text[i]) else { return nil }
            value = value * 10 + Int64(text[i] &- UInt8(ascii: "0"))
            i += 1
        }
        return negative ? -value : value
    }
}
