import NIOCore

/// Reads RESP2 values from bytes as they arrive: `parse` returns a whole value, or nil (consuming
/// nothing) when the buffer does not hold one yet. Malformed input is a protocol error.
struct RESPParser {
    /// Longest bulk string or array accepted (Redis's own limit is 512 MB).
    static let maximumLength = 512 << 20
    static let maximumDepth = 32

    enum Failure: Error, Equatable {
        case unexpectedByte(UInt8)
        case badLength(String)
        case badInteger(String)
        case tooDeep
    }

    mutating func parse(_ buffer: inout ByteBuffer) throws(Failure) -> RESPValue? {
        var view = buffer
        guard let value = try Self.value(&view, depth: 0) else { return nil }
        buffer = view
        return value
    }

    private static func value(_ buffer: inout ByteBuffer, depth: Int) throws(Failure) -> RESPValue? {
        guard depth < maximumDepth else { throw .tooDeep }
        guard let kind = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) else { return nil }
        switch kind {
        case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: ":"):
            guard let line = line(&buffer, from: 1) else { return nil }
            let text = String(decoding: line, as: UTF8.self)
            switch kind {
            case UInt8(ascii: "+"): return .simpleString(text)
            case UInt8(ascii: "-"): return .error(text)
            default:
                guard let number = Int64(text) else { throw .badInteger(text) }
                return .integer(number)
            }
        case UInt8(ascii: "$"):
            var view = buffer
            guard let line = line(&view, from: 1) else { return nil }
            let length = try Self.length(line)
            if length < 0 {
                buffer = view
                return .bulkString(nil)
            }
            guard view.readableBytes >= length + 2, let bytes = view.readBytes(length: length) else { return nil }
            guard view.readInteger(as: UInt16.self) == 0x0D0A else { throw .badLength("bulk string of \(length) bytes not followed by CRLF") }
            buffer = view
            return .bulkString(bytes)
        case UInt8(ascii: "*"):
            var view = buffer
            guard let line = line(&view, from: 1) else { return nil }
            let count = try Self.length(line)
            if count < 0 {
                buffer = view
                return .array(nil)
            }
            var elements: [RESPValue] = []
            elements.reserveCapacity(min(count, 1024))
            for _ in 0..<count {
                guard let element = try value(&view, depth: depth + 1) else { return nil }
                elements.append(element)
            }
            buffer = view
            return .array(elements)
        default:
            throw .unexpectedByte(kind)
        }
    }

    /// The bytes after the type byte up to CRLF (consumed with it), or nil if no CRLF yet.
    private static func line(_ buffer: inout ByteBuffer, from offset: Int) -> [UInt8]? {
        let start = buffer.readerIndex + offset
        let view = buffer.readableBytesView
        guard let cr = view.dropFirst(offset).firstIndex(of: 0x0D) else { return nil }
        let crIndex = buffer.readerIndex + (cr - view.startIndex)
        guard crIndex + 1 < buffer.writerIndex else { return nil }
        let bytes = buffer.getBytes(at: start, length: crIndex - start) ?? []
        buffer.moveReaderIndex(to: crIndex + 2)
        return bytes
    }

    private static func length(_ line: [UInt8]) throws(Failure) -> Int {
        let text = String(decoding: line, as: UTF8.self)
        guard let value = Int(text), value >= -1, value <= maximumLength else { throw .badLength(text) }
        return value
    }
}
