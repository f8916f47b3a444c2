/// Writers for the transactions dataset: fixed-point decimals, dates and RFC 3339 times.
extension ByteWriting {
    /// Micro-units as a decimal with six places (`-12.050000`), as the message producer's decimal strings.
    @inlinable @inline(__always)
    public static func micros(_ p: inout UnsafeMutablePointer<UInt8>, _ value: Int64) {
        if value < 0 { byte(&p, UInt8(ascii: "-")) }
        let magnitude = value.magnitude
        unsigned(&p, magnitude / 1_000_000)
        byte(&p, UInt8(ascii: "."))
        zeroPadded(&p, UInt32(magnitude % 1_000_000), width: 6)
    }

    /// A number at least `width` digits wide (`%08d`).
    @inlinable @inline(__always)
    public static func padded(_ p: inout UnsafeMutablePointer<UInt8>, _ value: Int64, width: Int) {
        let v = UInt64(max(value, 0))
        var digits = 1
        var rest = v / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        for _ in digits..<max(digits, width) { byte(&p, UInt8(ascii: "0")) }
        unsigned(&p, v)
    }

    /// The civil date (year, month, day) of a day count since 1970-01-01 (proleptic Gregorian).
    @inlinable @inline(__always)
    public static func civil(days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// `YYYYMMDD` of Unix milliseconds.
    @inlinable @inline(__always)
    public static func compactDate(_ p: inout UnsafeMutablePointer<UInt8>, millis: Int64) {
        let (y, m, d) = civil(days: floorDiv(millis, 86_400_000))
        zeroPadded(&p, UInt32(clamping: y), width: 4)
        zeroPadded(&p, UInt32(m), width: 2)
        zeroPadded(&p, UInt32(d), width: 2)
    }

    /// RFC 3339 in UTC with milliseconds (`2026-11-22T08:00:00.123Z`).
    @inlinable @inline(__always)
    public static func rfc3339(_ p: inout UnsafeMutablePointer<UInt8>, millis: Int64) {
        let days = floorDiv(millis, 86_400_000)
        let inDay = millis - days * 86_400_000
        let (y, m, d) = civil(days: days)
        zeroPadded(&p, UInt32(clamping: y), width: 4)
        byte(&p, UInt8(ascii: "-"))
        zeroPadded(&p, UInt32(m), width: 2)
        byte(&p, UInt8(ascii: "-"))
        zeroPadded(&p, UInt32(d), width: 2)
        byte(&p, UInt8(ascii: "T"))
        zeroPadded(&p, UInt32(inDay / 3_600_000), width: 2)
        byte(&p, UInt8(ascii: ":"))
        zeroPadded(&p, UInt32(inDay / 60_000 % 60), width: 2)
        byte(&p, UInt8(ascii: ":"))
        zeroPadded(&p, UInt32(inDay / 1000 % 60), width: 2)
        byte(&p, UInt8(ascii: "."))
        zeroPadded(&p, UInt32(inDay % 1000), width: 3)
        byte(&p, UInt8(ascii: "Z"))
    }

    @inlinable @inline(__always)
    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }
}
