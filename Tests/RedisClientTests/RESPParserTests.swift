import NIOCore
import Testing
@testable import RedisClient

@Suite("RESP2 encoding and parsing")
struct RESPParserTests {
    func parseAll(_ text: String, split: Int? = nil) throws -> [RESPValue] {
        var parser = RESPParser()
        var buffer = ByteBuffer()
        var values: [RESPValue] = []
        let bytes = Array(text.utf8)
        // Feed the bytes in pieces of `split` (every boundary, when 1), as a socket would.
        for start in stride(from: 0, to: bytes.count, by: split ?? bytes.count) {
            buffer.writeBytes(bytes[start..<min(start + (split ?? bytes.count), bytes.count)])
            while let value = try parser.parse(&buffer) { values.append(value) }
        }
        #expect(buffer.readableBytes == 0)
        return values
    }

    @Test("every kind, nulls, nesting and binary bulk strings, whole or a byte at a time")
    func kinds() throws {
        let text = "+OK\r\n-ERR wrong number\r\n:-42\r\n$5\r\nhe\r\no\r\n$-1\r\n$0\r\n\r\n*2\r\n*1\r\n:1\r\n$3\r\nabc\r\n*-1\r\n*0\r\n"
        let expected: [RESPValue] = [
            .simpleString("OK"), .error("ERR wrong number"), .integer(-42), .bulkString(Array("he\r\no".utf8)), .bulkString(nil),
            .bulkString([]), .array([.array([.integer(1)]), .bulkString(Array("abc".utf8))]), .array(nil), .array([]),
        ]
        #expect(try parseAll(text) == expected)
        #expect(try parseAll(text, split: 1) == expected)
        #expect(try parseAll(text, split: 7) == expected)
    }

    @Test("malformed input is an error, not a guess", arguments: ["?x\r\n", ":12a\r\n", "$abc\r\n", "$3\r\nabcd\r\n", "*-2\r\n"])
    func malformed(text: String) {
        var parser = RESPParser()
        var buffer = ByteBuffer(string: text)
        #expect(throws: RESPParser.Failure.self) { _ = try parser.parse(&buffer) }
    }

    @Test("commands are arrays of bulk strings")
    func commandEncoding() {
        var buffer = ByteBuffer()
        RESPCommand("SET", Array("k".utf8), [0x00, 0x0D, 0x0A]).write(into: &buffer)
        #expect(buffer.readString(length: buffer.readableBytes) == "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3\r\n\0\r\n\r\n")
    }

    @Test("REDIS_URL forms")
    func urls() {
        #expect(RedisConfiguration(url: "redis://localhost") == RedisConfiguration(host: "localhost"))
        #expect(RedisConfiguration(url: "redis://:s%40cret@10.0.0.5:6380/3") == RedisConfiguration(host: "10.0.0.5", port: 6380, password: "s@cret", database: 3))
        #expect(RedisConfiguration(url: "redis://user:pw@[::1]:7000") == RedisConfiguration(host: "::1", port: 7000, password: "pw"))
        #expect(RedisConfiguration(url: "http://localhost") == nil)
        #expect(RedisConfiguration(url: "redis://host:99999") == nil)
        #expect(RedisConfiguration(url: "redis://:pw@") == nil)
        #expect(!(RedisConfiguration(url: "redis://:pw@h")?.description.contains("pw") ?? true))
    }
}
