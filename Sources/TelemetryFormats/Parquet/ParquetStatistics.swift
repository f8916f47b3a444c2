import Foundation

/// Minimum and maximum of a column chunk's values, in the column's sort order (signed for
/// integers, numeric for doubles, unsigned byte-wise for byte arrays), so engines can skip row
/// groups.
struct ParquetStatistics {
    var minInteger = Int64.max
    var maxInteger = Int64.min
    var minDouble = Double.infinity
    var maxDouble = -Double.infinity
    var minBytes: [UInt8]?
    var maxBytes: [UInt8]?
    var seenFalse = false
    var seenTrue = false

    @inline(__always)
    mutating func update(_ value: Int64) {
        if value < minInteger { minInteger = value }
        if value > maxInteger { maxInteger = value }
    }

    @inline(__always)
    mutating func update(_ value: Double) {
        guard !value.isNaN else { return }
        if value < minDouble { minDouble = value }
        if value > maxDouble { maxDouble = value }
    }

    @inline(__always)
    mutating func update(_ value: Bool) {
        if value { seenTrue = true } else { seenFalse = true }
    }

    @inline(__always)
    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        if let minBytes {
            if Self.compare(bytes, minBytes) < 0 { self.minBytes = Array(bytes) }
        } else {
            minBytes = Array(bytes)
        }
        if let maxBytes {
            if Self.compare(bytes, maxBytes) > 0 { self.maxBytes = Array(bytes) }
        } else {
            maxBytes = Array(bytes)
        }
    }

    /// Unsigned byte-wise comparison, shorter first on a common prefix.
    @inline(__always)
    static func compare(_ a: UnsafeRawBufferPointer, _ b: [UInt8]) -> Int {
        b.withUnsafeBytes { b in
            let n = min(a.count, b.count)
            let c = n == 0 ? 0 : memcmp(a.baseAddress!, b.baseAddress!, n)
            if c != 0 { return Int(c) }
            return a.count - b.count
        }
    }

    /// The PLAIN encodings (without length) of the minimum and maximum, if any value was seen.
    func encoded(_ type: ParquetPhysicalType) -> (min: [UInt8], max: [UInt8])? {
        switch type {
        case .int32:
            guard minInteger <= maxInteger else { return nil }
            return (Self.bytes(Int32(minInteger)), Self.bytes(Int32(maxInteger)))
        case .int64:
            guard minInteger <= maxInteger else { return nil }
            return (Self.bytes(minInteger), Self.bytes(maxInteger))
        case .double:
            guard minDouble <= maxDouble else { return nil }
            // Zeros: -0.0 as the minimum, +0.0 as the maximum.
            let low = minDouble == 0 ? -0.0 : minDouble
            let high = maxDouble == 0 ? 0.0 : maxDouble
            return (Self.bytes(low.bitPattern), Self.bytes(high.bitPattern))
        case .boolean:
            guard seenFalse || seenTrue else { return nil }
            return ([seenFalse ? 0 : 1], [seenTrue ? 1 : 0])
        case .byteArray:
            guard let minBytes, let maxBytes else { return nil }
            return (minBytes, maxBytes)
        }
    }

    private static func bytes<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }
}
