/// Pointer-level writers shared by the record encoders and ``JSONWriter``: literals, integers,
/// IPv4 addresses, hex, and (in `ByteWriting+JSON.swift`) JSON strings and numbers, each
/// table-driven and allocation-free. The caller reserves room first.
public enum ByteWriting {
    /// "00" "01" ... "99", from a literal: a constant in the binary, where a table made at first use
    /// would be a lazily made global, checked on every call.
    @inlinable @inline(__always)
    public static var digitPairs: UnsafePointer<UInt8> {
        let table: StaticString = "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"
        return table.utf8Start
    }

    /// For each byte value: its length, then up to three decimal digits.
    @usableFromInline nonisolated(unsafe) static let octets: UnsafePointer<UInt8> = {
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 1024)
        for i in 0..<256 {
            let text = Array(String(i).utf8)
            table[4 * i] = UInt8(text.count)
            for (j, byte) in text.enumerated() { table[4 * i + 1 + j] = byte }
        }
        return UnsafePointer(table)
    }()

    /// Two lowercase hex digits per byte value.
    nonisolated(unsafe) public static let hexPairs: UnsafePointer<UInt8> = {
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 512)
        let digits = Array("0123456789abcdef".utf8)
        for i in 0..<256 {
            table[2 * i] = digits[i >> 4]
            table[2 * i + 1] = digits[i & 15]
        }
        return UnsafePointer(table)
    }()

    @inlinable @inline(__always)
    public static func literal(_ p: inout UnsafeMutablePointer<UInt8>, _ text: StaticString) {
        p.update(from: text.utf8Start, count: text.utf8CodeUnitCount)
        p += text.utf8CodeUnitCount
    }

    @inlinable @inline(__always)
    public static func bytes(_ p: inout UnsafeMutablePointer<UInt8>, _ source: UnsafePointer<UInt8>, _ count: Int) {
        p.update(from: source, count: count)
        p += count
    }

    @inlinable @inline(__always)
    public static func byte(_ p: inout UnsafeMutablePointer<UInt8>, _ value: UInt8) {
        p.pointee = value
        p += 1
    }

    /// Decimal digits of an unsigned value.
    @inlinable @inline(__always)
    public static func unsigned(_ p: inout UnsafeMutablePointer<UInt8>, _ value: UInt64) {
        if value < 10 {
            p.pointee = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value)
            p += 1
            return
        }
        var digits = 0
        var probe = value
        while probe >= 10_000 { probe /= 10_000; digits += 4 }
        digits += probe >= 1_000 ? 4 : probe >= 100 ? 3 : probe >= 10 ? 2 : 1
        var end = p + digits
        p = end
        var v = value
        let pairs = digitPairs
        while v >= 100 {
            let r = Int(v % 100)
            v /= 100
            end -= 2
            end[0] = pairs[2 * r]
            end[1] = pairs[2 * r + 1]
        }
        if v >= 10 {
            end -= 2
            end[0] = pairs[2 * Int(v)]
            end[1] = pairs[2 * Int(v) + 1]
        } else {
            end -= 1
            end[0] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: v)
        }
    }

    /// Exactly eight decimal digits (zero padded) of a value below 10^8.
    @inlinable @inline(__always)
    public static func eightDigits(_ q: UnsafeMutablePointer<UInt8>, _ v: UInt64, pairs: UnsafePointer<UInt8>) {
        @inline(__always) func two(_ q: UnsafeMutablePointer<UInt8>, _ v: Int) {
            q[0] = pairs[2 * v]
            q[1] = pairs[2 * v + 1]
        }
        let high = Int(v / 10_000), low = Int(v % 10_000)
        two(q, high / 100)
        two(q + 2, high % 100)
        two(q + 4, low / 100)
        two(q + 6, low % 100)
    }

    /// Decimal digits of an unsigned value with the pair table given (hot loops load it once):
    /// eight digits at a time, four by four, two by two.
    @inlinable @inline(__always)
    public static func unsigned(_ p: inout UnsafeMutablePointer<UInt8>, _ value: UInt64, pairs: UnsafePointer<UInt8>) {
        @inline(__always) func eight(_ q: UnsafeMutablePointer<UInt8>, _ v: UInt64) { eightDigits(q, v, pairs: pairs) }
        if value < 100_000_000 {
            unsignedShort(&p, value, pairs: pairs)
            return
        }
        let high = value / 100_000_000
        let low = value % 100_000_000
        if high < 100_000_000 {
            unsignedShort(&p, high, pairs: pairs)
        } else {
            unsignedShort(&p, high / 100_000_000, pairs: pairs)
            eight(p, high % 100_000_000)
            p += 8
        }
        eight(p, low)
        p += 8
    }

    /// Below 10^8.
    @inlinable @inline(__always)
    static func unsignedShort(_ p: inout UnsafeMutablePointer<UInt8>, _ value: UInt64, pairs: UnsafePointer<UInt8>) {
        let v = Int(value)
        let digits = v < 10 ? 1 : v < 100 ? 2 : v < 1_000 ? 3 : v < 10_000 ? 4 : v < 100_000 ? 5 : v < 1_000_000 ? 6 : v < 10_000_000 ? 7 : 8
        var end = p + digits
        p = end
        var rest = v
        while rest >= 100 {
            let r = rest % 100
            rest /= 100
            end -= 2
            end[0] = pairs[2 * r]
            end[1] = pairs[2 * r + 1]
        }
        if rest >= 10 {
            end -= 2
            end[0] = pairs[2 * rest]
            end[1] = pairs[2 * rest + 1]
        } else {
            end -= 1
            end[0] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest)
        }
    }

    @inlinable @inline(__always)
    public static func signed(_ p: inout UnsafeMutablePointer<UInt8>, _ value: Int64, pairs: UnsafePointer<UInt8>) {
        if value < 0 {
            byte(&p, UInt8(ascii: "-"))
            unsigned(&p, value.magnitude, pairs: pairs)
        } else {
            unsigned(&p, UInt64(value), pairs: pairs)
        }
    }

    @inlinable @inline(__always)
    public static func signed(_ p: inout UnsafeMutablePointer<UInt8>, _ value: Int64) {
        if value < 0 {
            byte(&p, UInt8(ascii: "-"))
            unsigned(&p, value.magnitude)
        } else {
            unsigned(&p, UInt64(value))
        }
    }

    /// Dotted-quad text of an IPv4 address.
    @inlinable @inline(__always)
    public static func ipv4(_ p: inout UnsafeMutablePointer<UInt8>, _ value: UInt32) {
        let table = octets
        @inline(__always) func octet(_ o: UInt32) {
            let entry = table + Int(o) * 4
            let length = Int(entry[0])
            p[0] = entry[1]
            p[1] = entry[2]
            p[2] = entry[3]
            p += length
        }
        octet(value >> 24)
        p.pointee = UInt8(ascii: ".")
        p += 1
        octet(value >> 16 & 0xff)
        p.pointee = UInt8(ascii: ".")
        p += 1
        octet(value >> 8 & 0xff)
        p.pointee = UInt8(ascii: ".")
        p += 1
        octet(value & 0xff)
    }

    /// Canonical UUID text (36 bytes) of 128 bits.
    @inlinable @inline(__always)
    public static func uuid(_ p: inout UnsafeMutablePointer<UInt8>, high: UInt64, low: UInt64) {
        let hex = hexPairs
        @inline(__always) func put(_ word: UInt64, _ shiftFromTop: Int, _ byteCount: Int) {
            for i in 0..<byteCount {
                let b = Int(truncatingIfNeeded: word >> UInt64(56 - 8 * (shiftFromTop + i))) & 0xff
                p[0] = hex[2 * b]
                p[1] = hex[2 * b + 1]
                p += 2
            }
        }
        put(high, 0, 4)
        byte(&p, UInt8(ascii: "-"))
        put(high, 4, 2)
        byte(&p, UInt8(ascii: "-"))
        put(high, 6, 2)
        byte(&p, UInt8(ascii: "-"))
        put(low, 0, 2)
        byte(&p, UInt8(ascii: "-"))
        put(low, 2, 6)
    }

    /// 16 lower-case hex digits of `value`.
    @inlinable @inline(__always)
    public static func hex64(_ p: inout UnsafeMutablePointer<UInt8>, _ value: UInt64) {
        let hex = hexPairs
        for i in 0..<8 {
            let b = Int(truncatingIfNeeded: value >> UInt64(56 - 8 * i)) & 0xff
            p[0] = hex[2 * b]
            p[1] = hex[2 * b + 1]
            p += 2
        }
    }

    /// Exactly `width` digits, zero padded (`sg-%06d`).
    @inlinable @inline(__always)
    public static func zeroPadded(_ p: inout UnsafeMutablePointer<UInt8>, _ value: UInt32, width: Int) {
        var v = value
        for i in stride(from: width - 1, through: 0, by: -1) {
            p[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: v % 10)
            v /= 10
        }
        p += width
    }
}
