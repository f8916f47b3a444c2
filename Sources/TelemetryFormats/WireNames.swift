import TelemetryModel

/// Writers for the two list fields, shared by the JSON and CSV encoders.
enum WireNames {
    /// The flags in write order, joined by `separator` and each wrapped in quotes when `quote`.
    @inline(__always)
    static func flags(_ p: inout UnsafeMutablePointer<UInt8>, _ flags: TCPFlags, quote: Bool, separator: UInt8) {
        var first = true
        for (flag, name) in TCPFlags.writeOrder where flags.contains(flag) {
            put(&p, name, first: &first, quote: quote, separator: separator)
        }
    }

    /// Anomaly names in ascending precedence, joined like ``flags(_:_:quote:separator:)``.
    @inline(__always)
    static func anomalies(_ p: inout UnsafeMutablePointer<UInt8>, _ set: AnomalySet, quote: Bool, separator: UInt8) {
        var first = true
        var bits = set.rawValue
        while bits != 0 {
            let label = AnomalyLabel(rawValue: UInt8(bits.trailingZeroBitCount))!
            put(&p, label.staticName, first: &first, quote: quote, separator: separator)
            bits &= bits - 1
        }
    }

    @inline(__always)
    static func put(_ p: inout UnsafeMutablePointer<UInt8>, _ name: StaticString, first: inout Bool, quote: Bool, separator: UInt8) {
        if !first { ByteWriting.byte(&p, separator) }
        first = false
        if quote { ByteWriting.byte(&p, UInt8(ascii: "\"")) }
        ByteWriting.literal(&p, name)
        if quote { ByteWriting.byte(&p, UInt8(ascii: "\"")) }
    }
}
