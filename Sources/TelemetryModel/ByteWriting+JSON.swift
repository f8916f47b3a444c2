/// JSON strings and numbers, byte by byte: the one escaping and the one number text of every JSON
/// the programs write by hand (records, HTTP bodies, log lines).
extension ByteWriting {
    // MARK: - Strings

    /// The most bytes ``jsonString(_:_:)`` writes for `count` bytes of text: six per byte
    /// (`\u001f`) and the quotes.
    @inlinable
    public static func jsonStringCapacity(_ count: Int) -> Int { 6 * count + 2 }

    /// For each byte: 0 to copy it, else the letter after the backslash (`u` for `\u00XX`).
    @usableFromInline nonisolated(unsafe) static let jsonEscapes: UnsafePointer<UInt8> = {
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        table.initialize(repeating: 0, count: 256)
        for byte in 0..<0x20 { table[byte] = UInt8(ascii: "u") }
        table[0x0A] = UInt8(ascii: "n")
        table[0x0D] = UInt8(ascii: "r")
        table[0x09] = UInt8(ascii: "t")
        table[Int(UInt8(ascii: "\""))] = UInt8(ascii: "\"")
        table[Int(UInt8(ascii: "\\"))] = UInt8(ascii: "\\")
        return UnsafePointer(table)
    }()

    /// `text` (UTF-8) as a quoted JSON string: `"` and `\` escaped, `\n` `\r` `\t`, other bytes
    /// below 0x20 as `\u00XX` (lower-case hex); everything else, UTF-8 included, as it is.
    /// Room for ``jsonStringCapacity(_:)`` bytes must be reserved.
    @inlinable
    public static func jsonString(_ p: inout UnsafeMutablePointer<UInt8>, _ text: UnsafeRawBufferPointer) {
        byte(&p, UInt8(ascii: "\""))
        guard let start = text.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            byte(&p, UInt8(ascii: "\""))
            return
        }
        let escapes = jsonEscapes
        var run = 0
        for i in 0..<text.count {
            let escape = escapes[Int(start[i])]
            if escape == 0 { continue }
            bytes(&p, start + run, i - run)
            run = i + 1
            p[0] = UInt8(ascii: "\\")
            p[1] = escape
            p += 2
            if escape == UInt8(ascii: "u") {
                let hex = hexPairs + 2 * Int(start[i])
                p[0] = UInt8(ascii: "0")
                p[1] = UInt8(ascii: "0")
                p[2] = hex[0]
                p[3] = hex[1]
                p += 4
            }
        }
        bytes(&p, start + run, text.count - run)
        byte(&p, UInt8(ascii: "\""))
    }

    // MARK: - Numbers

    /// The most bytes ``shortest(_:_:)`` and ``jsonNumber(_:_:)`` write
    /// (`-2.2250738585072014e-308` is 24).
    public static let doubleCapacity = 32

    /// A double as JSON: its shortest text that reads back the same, exactly as Swift's
    /// `description` writes it (`1234.5`, `12.0`, `1e-07`), or `null` when it is not finite.
    @inlinable
    public static func jsonNumber(_ p: inout UnsafeMutablePointer<UInt8>, _ value: Double) {
        if value.isFinite { shortest(&p, value) } else { literal(&p, "null") }
    }

    /// A finite double exactly as its `description`: the fewest digits that read back as the same
    /// double, the nearest such if two do. Decimal values from 1e-4 to 2^53 (what metrics hold)
    /// are written here without a `String`; the rest copy `description`.
    public static func shortest(_ p: inout UnsafeMutablePointer<UInt8>, _ value: Double) {
        if value == 0 {
            if value.sign == .minus { literal(&p, "-0.0") } else { literal(&p, "0.0") }
            return
        }
        guard let (digits, scale) = decimal(value.magnitude) else {
            var text = value.description
            text.withUTF8 { bytes(&p, $0.baseAddress!, $0.count) }
            return
        }
        if value.sign == .minus { byte(&p, UInt8(ascii: "-")) }
        var divisor: UInt64 = 1
        for _ in 0..<scale { divisor &*= 10 }
        unsigned(&p, digits / divisor)
        byte(&p, UInt8(ascii: "."))
        if scale == 0 {
            byte(&p, UInt8(ascii: "0"))
        } else {
            var fraction = digits % divisor
            for i in stride(from: scale - 1, through: 0, by: -1) {
                p[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: fraction % 10)
                fraction /= 10
            }
            p += scale
        }
    }

    /// Powers of ten that are exact doubles (10^0 ... 10^22).
    static let exactPowersOfTen: [Double] = {
        var powers = [1.0]
        for _ in 1...22 { powers.append(powers[powers.count - 1] * 10) }
        return powers
    }()

    /// `(m, k)` with `m / 10^k` the shortest decimal that reads back as `magnitude` (positive),
    /// for magnitudes Swift writes in decimal notation with `m` below 2^53; nil otherwise.
    ///
    /// For k = 0, 1, 2, ... the integers either side of `magnitude * 10^k` are tried: `m / 10^k`
    /// is a correctly rounded division of exact values (`m` < 2^53, `10^k` with k <= 22), so it is
    /// the double that reading the text `m·10^-k` gives. The first k with a candidate gives the
    /// fewest digits; if both candidates read back, the exact product (by a fused multiply-add)
    /// picks the nearer, and an exact tie is left to `description`.
    static func decimal(_ magnitude: Double) -> (digits: UInt64, scale: Int)? {
        guard magnitude >= 1e-4, magnitude < 9_007_199_254_740_992 else { return nil }
        let powers = exactPowersOfTen
        for scale in 0...21 {
            let power = powers[scale]
            let product = magnitude * power
            guard product < 9_007_199_254_740_991 else { return nil }
            let low = product.rounded(.down)
            let high = low + 1
            let lowReadsBack = low / power == magnitude
            let highReadsBack = high / power == magnitude
            if lowReadsBack && highReadsBack {
                let aboveHalf = (product - low - 0.5) + (-product).addingProduct(magnitude, power)
                if aboveHalf == 0 { return nil }
                return (UInt64(aboveHalf > 0 ? high : low), scale)
            }
            if lowReadsBack { return (UInt64(low), scale) }
            if highReadsBack { return (UInt64(high), scale) }
        }
        return nil
    }
}
