/// JSON written by hand into a growable byte buffer: the HTTP bodies, the stored metrics and the
/// log lines, with the same escaping and numbers as the record encoders (``ByteWriting``).
/// The caller writes the punctuation (`raw("{\"a\":")`); the writer writes values.
///
///     var json = JSONWriter()
///     json.raw("{\"switch_id\":")
///     json.string("sw1")
///     json.raw(",\"latency_ms\":")
///     json.number(12.5)
///     json.raw("}")
public struct JSONWriter: ~Copyable {
    public var buffer: WriteBuffer

    public init(capacity: Int = 256) {
        buffer = WriteBuffer(capacity: capacity)
    }

    /// Bytes written.
    @inlinable public var count: Int { buffer.count }

    /// Text as it is (punctuation and keys known to need no escaping).
    @inlinable
    public mutating func raw(_ text: StaticString) {
        buffer.reserve(text.utf8CodeUnitCount)
        buffer.withWriter { start in
            var p = start
            ByteWriting.literal(&p, text)
            return p
        }
    }

    /// Text that is JSON already, as it is.
    public mutating func raw(_ text: String) {
        buffer.append(text)
    }

    @inlinable
    public mutating func byte(_ value: UInt8) {
        buffer.reserve(1)
        buffer.withWriter { start in
            start.pointee = value
            return start + 1
        }
    }

    /// A quoted, escaped string.
    public mutating func string(_ text: String) {
        var copy = text
        copy.withUTF8 { string(utf8: UnsafeRawBufferPointer($0)) }
    }

    /// UTF-8 bytes as a quoted, escaped string.
    public mutating func string(utf8 text: UnsafeRawBufferPointer) {
        buffer.reserve(ByteWriting.jsonStringCapacity(text.count))
        buffer.withWriter { start in
            var p = start
            ByteWriting.jsonString(&p, text)
            return p
        }
    }

    public mutating func integer(_ value: Int64) {
        buffer.reserve(20)
        buffer.withWriter { start in
            var p = start
            ByteWriting.signed(&p, value)
            return p
        }
    }

    public mutating func integer(_ value: Int) {
        integer(Int64(value))
    }

    /// A double as its `description` writes it, `null` when it is not finite.
    public mutating func number(_ value: Double) {
        buffer.reserve(ByteWriting.doubleCapacity)
        buffer.withWriter { start in
            var p = start
            ByteWriting.jsonNumber(&p, value)
            return p
        }
    }

    /// Starts over, keeping the memory.
    public mutating func removeAll() {
        buffer.removeAll()
    }

    /// The bytes written, read in place.
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try buffer.withBytes(nil, body)
    }

    /// A copy of the bytes.
    public var bytes: [UInt8] { buffer.bytes }
}
