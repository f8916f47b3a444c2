import NIOCore

/// One command as Redis reads it: an array of bulk strings.
public struct RESPCommand: Sendable {
    public let arguments: [[UInt8]]

    public init(_ name: String, _ arguments: [UInt8]...) {
        self.init(name, arguments)
    }

    public init(_ name: String, _ arguments: [[UInt8]]) {
        self.arguments = [Array(name.utf8)] + arguments
    }

    /// `*N\r\n$len\r\narg\r\n...`
    public func write(into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(ascii: "*"))
        buffer.writeString(String(arguments.count))
        buffer.writeInteger(UInt16(0x0D0A))
        for argument in arguments {
            buffer.writeInteger(UInt8(ascii: "$"))
            buffer.writeString(String(argument.count))
            buffer.writeInteger(UInt16(0x0D0A))
            buffer.writeBytes(argument)
            buffer.writeInteger(UInt16(0x0D0A))
        }
    }

    /// The command's name, for errors and logs (arguments may be secret: AUTH).
    public var name: String { String(decoding: arguments.first ?? [], as: UTF8.self) }
}

extension Array where Element == UInt8 {
    /// UTF-8 of `text`, for command arguments.
    @inlinable public init(utf8 text: String) { self = Array(text.utf8) }
}
