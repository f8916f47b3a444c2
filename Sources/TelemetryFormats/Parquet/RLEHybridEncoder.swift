import TelemetryModel

/// Parquet's RLE / bit-packing hybrid encoding, used for definition and repetition levels and
/// for dictionary indices: runs of at least eight equal values become one RLE run, everything else
/// is bit-packed in groups of eight (LSB first; the last group padded with zeros).
enum RLEHybridEncoder {
    /// The bits needed for values up to `maxValue`.
    static func bitWidth(_ maxValue: UInt32) -> Int {
        maxValue == 0 ? 0 : 32 - maxValue.leadingZeroBitCount
    }

    /// Appends the encoding of `values` to `out` (no length prefix).
    static func encode<T: FixedWidthInteger & UnsignedInteger>(_ values: UnsafeBufferPointer<T>, bitWidth: Int, into out: inout WriteBuffer) {
        let n = values.count
        guard n > 0 else { return }
        // Worst case: all bit-packed, plus a header per group.
        out.reserve(n * bitWidth / 8 + n / 8 * 2 + 32)
        out.withWriter { start in
            var p = start
            var i = 0
            while i < n {
                let run = runLength(values, at: i)
                if run >= 8 {
                    varint(&p, UInt64(run) << 1)
                    var value = UInt64(values[i])
                    for _ in 0..<(bitWidth + 7) / 8 {
                        p.pointee = UInt8(truncatingIfNeeded: value)
                        p += 1
                        value >>= 8
                    }
                    i += run
                    continue
                }
                // Bit-pack groups of eight until a run of eight starts or the values end.
                var end = i + 8
                while end < n && runLength(values, at: end, atLeast: 8) < 8 { end += 8 }
                let groups = (end - i) / 8
                varint(&p, UInt64(groups) << 1 | 1)
                var accumulator: UInt64 = 0
                var bits = 0
                for k in i..<end {
                    let value = k < n ? UInt64(values[k]) : 0
                    accumulator |= value << bits
                    bits += bitWidth
                    while bits >= 8 {
                        p.pointee = UInt8(truncatingIfNeeded: accumulator)
                        p += 1
                        accumulator >>= 8
                        bits -= 8
                    }
                }
                i = end
            }
            return p
        }
    }

    /// The number of values equal to `values[i]` from `i` on (counting stops at `atLeast`).
    @inline(__always)
    private static func runLength<T: FixedWidthInteger>(_ values: UnsafeBufferPointer<T>, at i: Int, atLeast limit: Int = .max) -> Int {
        let first = values[i]
        var j = i + 1
        while j < values.count && values[j] == first && j - i < limit { j += 1 }
        return j - i
    }

    @inline(__always)
    private static func varint(_ p: inout UnsafeMutablePointer<UInt8>, _ value: UInt64) {
        var v = value
        while v >= 0x80 {
            p.pointee = UInt8(truncatingIfNeeded: v) | 0x80
            p += 1
            v >>= 7
        }
        p.pointee = UInt8(v)
        p += 1
    }
}
