import TelemetryModel

/// A fixed list of strings laid out contiguously, already escaped for the output format, so an
/// encoder copies one with a single `memcpy`.
///
/// Sendable: immutable after `init`: `count` and `maxLength` are `let`, and the `storage` and `starts`
/// buffers are written only in `init`; ``write(_:_:)`` only reads them.
public final class StringTable: @unchecked Sendable {
    private let storage: UnsafeMutablePointer<UInt8>
    private let starts: UnsafeMutablePointer<Int>
    public let count: Int
    /// The longest entry, in bytes.
    public let maxLength: Int

    /// - Parameter escape: turns one string into the bytes written for it.
    public convenience init(_ strings: [String], escape: (String) -> [UInt8]) {
        self.init(encoded: strings.map(escape))
    }

    /// Entries given as the bytes to write.
    public init(encoded: [[UInt8]]) {
        count = encoded.count
        maxLength = encoded.map(\.count).max() ?? 0
        let total = encoded.reduce(0) { $0 + $1.count }
        // Eight bytes of slack: ``write(_:_:)`` copies whole words and may read past the last entry.
        storage = .allocate(capacity: total + 8)
        storage.initialize(repeating: 0, count: total + 8)
        starts = .allocate(capacity: count + 1)
        var offset = 0
        for (i, bytes) in encoded.enumerated() {
            starts[i] = offset
            bytes.withUnsafeBufferPointer { (storage + offset).update(from: $0.baseAddress!, count: bytes.count) }
            offset += bytes.count
        }
        starts[count] = offset
    }

    deinit {
        storage.deallocate()
        starts.deallocate()
    }

    /// Copies entry `index` to `p` and advances it. Copies whole words, so it may write up to
    /// seven bytes past the entry: the destination needs that much room (encoders reserve a
    /// record's worst case, and what follows overwrites the excess).
    @inline(__always)
    public func write(_ p: inout UnsafeMutablePointer<UInt8>, _ index: Int) {
        let start = starts[index]
        let length = starts[index + 1] - start
        let source = UnsafeRawPointer(storage + start)
        let target = UnsafeMutableRawPointer(p)
        var offset = 0
        while offset < length {
            target.storeBytes(of: source.loadUnaligned(fromByteOffset: offset, as: UInt64.self), toByteOffset: offset, as: UInt64.self)
            offset += 8
        }
        p += length
    }

    /// JSON string contents (without the quotes): escapes quote, backslash and control characters.
    public static func jsonEscaped(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        appendJSONEscaped(text.utf8, to: &out)
        return out
    }

    /// Appends UTF-8 `bytes` as JSON string contents (without the quotes) to `out`.
    public static func appendJSONEscaped(_ bytes: some Sequence<UInt8>, to out: inout [UInt8]) {
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case UInt8(ascii: "\n"): out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case UInt8(ascii: "\r"): out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case UInt8(ascii: "\t"): out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20: out += Array("\\u00".utf8) + [ByteWriting.hexDigit(byte >> 4), ByteWriting.hexDigit(byte & 15)]
            default: out.append(byte)
            }
        }
    }

    /// A CSV field per RFC 4180: quoted (with doubled quotes) only when it holds a comma, a quote,
    /// CR or LF.
    public static func csvField(_ text: String) -> [UInt8] {
        let bytes = Array(text.utf8)
        guard bytes.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }) else {
            return bytes
        }
        var out: [UInt8] = [UInt8(ascii: "\"")]
        for byte in bytes {
            out.append(byte)
            if byte == UInt8(ascii: "\"") { out.append(byte) }
        }
        out.append(UInt8(ascii: "\""))
        return out
    }
}

extension ByteWriting {
    static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
