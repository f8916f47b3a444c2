import NIOCore

/// Many commands encoded straight into one buffer, for pipelines of thousands of small writes:
/// no array per argument and no promise per reply. Their replies are counted, not kept
/// (``RESPBatchResult``): for writes whose answers only matter when they are errors.
///
///     var batch = RESPBatch()
///     batch.command("SET", arguments: 2)
///     batch.argument("key")
///     batch.argument("value")
public struct RESPBatch: Sendable {
    public private(set) var bytes: ByteBuffer
    /// Commands written.
    public private(set) var count = 0

    public init(capacity: Int = 64 << 10) {
        bytes = ByteBufferAllocator().buffer(capacity: capacity)
    }

    /// Starts a command: its name, then exactly `arguments` calls of `argument`.
    public mutating func command(_ name: StaticString, arguments: Int) {
        count += 1
        bytes.writeInteger(UInt8(ascii: "*"))
        decimal(Int64(arguments + 1))
        bytes.writeInteger(UInt16(0x0D0A))
        header(name.utf8CodeUnitCount)
        bytes.writeStaticString(name)
        bytes.writeInteger(UInt16(0x0D0A))
    }

    public mutating func argument(_ text: String) {
        header(text.utf8.count)
        bytes.writeString(text)
        bytes.writeInteger(UInt16(0x0D0A))
    }

    /// One argument made of two texts (`netchaos:history:` and `sw1`), without joining them first.
    public mutating func argument(_ first: String, _ second: String) {
        header(first.utf8.count + second.utf8.count)
        bytes.writeString(first)
        bytes.writeString(second)
        bytes.writeInteger(UInt16(0x0D0A))
    }

    /// One argument made of a number, a separator and a text (`1700000000/sw1`).
    public mutating func argument(_ number: Int64, _ separator: UInt8, _ text: String) {
        header(Self.digits(number) + 1 + text.utf8.count)
        decimal(number)
        bytes.writeInteger(separator)
        bytes.writeString(text)
        bytes.writeInteger(UInt16(0x0D0A))
    }

    public mutating func argument(_ value: Int64) {
        header(Self.digits(value))
        decimal(value)
        bytes.writeInteger(UInt16(0x0D0A))
    }

    /// Bytes read in place (a JSON value written into a reused buffer).
    public mutating func argument(bytes value: UnsafeRawBufferPointer) {
        header(value.count)
        bytes.writeBytes(value)
        bytes.writeInteger(UInt16(0x0D0A))
    }

    public mutating func argument(bytes value: [UInt8]) {
        header(value.count)
        bytes.writeBytes(value)
        bytes.writeInteger(UInt16(0x0D0A))
    }

    private mutating func header(_ length: Int) {
        bytes.writeInteger(UInt8(ascii: "$"))
        decimal(Int64(length))
        bytes.writeInteger(UInt16(0x0D0A))
    }

    /// `value` in decimal ASCII, written in place (no `String` made).
    private mutating func decimal(_ value: Int64) {
        let negative = value < 0
        var magnitude = value.magnitude
        let length = Self.digits(value)
        bytes.writeWithUnsafeMutableBytes(minimumWritableBytes: length) { buffer in
            var index = length - 1
            repeat {
                buffer[index] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                index -= 1
            } while magnitude > 0
            if negative { buffer[0] = UInt8(ascii: "-") }
            return length
        }
    }

    /// Characters of `value` in decimal, its sign included.
    static func digits(_ value: Int64) -> Int {
        var magnitude = value.magnitude
        var count = value < 0 ? 2 : 1
        while magnitude >= 10 {
            magnitude /= 10
            count += 1
        }
        return count
    }
}

/// What a ``RESPBatch``'s replies were: how many, how many errors, and the first error's text.
public struct RESPBatchResult: Sendable, Hashable {
    public var replies = 0
    public var errors = 0
    public var firstError: String?

    public init() {}
}
