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

    /// Moves past one whole reply without keeping it: nil (consuming nothing) when the buffer does
    /// not hold one yet; `.some(nil)` for a reply that is not an error, `.some(message)` for an
    /// error (`-ERR ...`) at its top level.
    static func skip(_ buffer: inout ByteBuffer) throws(Failure) -> String?? {
        var view = buffer
        guard let kind = view.getInteger(at: view.readerIndex, as: UInt8.self) else { return nil }
        if kind == UInt8(ascii: "-") {
            guard let line = line(&view, from: 1) else { return nil }
            buffer = view
            return .some(String(decoding: line, as: UTF8.self))
        }
        guard try skipValue(&view, depth: 0) else { return nil }
        buffer = view
        return .some(nil)
    }

    /// Moves past one value; false (the buffer in any state) when it is not whole yet.
    private static func skipValue(_ buffer: inout ByteBuffer, depth: Int) throws(Failure) -> Bool {
        guard depth < maximumDepth else { throw .tooDeep }
        guard let kind = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) else { return false }
        switch kind {
        case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: ":"):
            return lineEnd(&buffer)
        case UInt8(ascii: "$"):
            guard let length = try lengthLine(&buffer) else { return false }
            if length < 0 { return true }
            guard buffer.readableBytes >= length + 2 else { return false }
            buffer.moveReaderIndex(forwardBy: length)
            guard buffer.readInteger(as: UInt16.self) == 0x0D0A else { throw .badLength("bulk string of \(length) bytes not followed by CRLF") }
            return true
        case UInt8(ascii: "*"):
            guard let count = try lengthLine(&buffer) else { return false }
            for _ in 0..<max(count, 0) {
                guard try skipValue(&buffer, depth: depth + 1) else { return false }
            }
            return true
        default:
            throw .unexpectedByte(kind)
        }
    }

    /// Past the CRLF that ends the current line; false when there is none yet.
    private static func lineEnd(_ buffer: inout ByteBuffer) -> Bool {
        let view = buffer.readableBytesView
        guard let cr = view.firstIndex(of: 0x0D) else { return false }
        let crIndex = buffer.readerIndex + (cr - view.startIndex)
        guard crIndex + 1 < buffer.writerIndex else { return false }
        buffer.moveReaderIndex(to: crIndex + 2)
        return true
    }

    /// The length in a `$` or `*` line (consumed), without copying it; nil when incomplete.
    private static func lengthLine(_ buffer: inout ByteBuffer) throws(Failure) -> Int? {
        let view = buffer.readableBytesView
        guard let cr = view.firstIndex(of: 0x0D) else { return nil }
        let crIndex = buffer.readerIndex + (cr - view.startIndex)
        guard crIndex + 1 < buffer.writerIndex else { return nil }
        var value = 0
        var negative = false
        var digits = 0
        for index in (buffer.readerIndex + 1)..<crIndex {
            let b = buffer.getInteger(at: index, as: UInt8.self)!
            if b == UInt8(ascii: "-"), index == buffer.readerIndex + 1 {
                negative = true
            } else if b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9"), digits < 12 {
                value = value * 10 + Int(b - UInt8(ascii: "0"))
                digits += 1
            } else {
                throw .badLength(String(decoding: buffer.getBytes(at: buffer.readerIndex + 1, length: crIndex - buffer.readerIndex - 1) ?? [], as: UTF8.self))
            }
        }
        let length = negative ? -value : value
        guard digits > 0, length >= -1, length <= maximumLength else { throw .badLength(String(length)) }
        buffer.moveReaderIndex(to: crIndex + 2)
        return length
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
