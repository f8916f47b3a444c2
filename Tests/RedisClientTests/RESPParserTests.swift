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

    @Test("replies skipped without keeping them: whole ones only, errors told apart, a byte at a time")
    func skipping() throws {
        let text = "+OK\r\n-ERR wrong number\r\n:-42\r\n$5\r\nhe\r\no\r\n$-1\r\n$0\r\n\r\n*2\r\n*1\r\n:1\r\n$3\r\nabc\r\n*-1\r\n*0\r\n"
        for split in [1, 7, text.utf8.count] {
            var buffer = ByteBuffer()
            var replies: [String?] = []
            let bytes = Array(text.utf8)
            for start in stride(from: 0, to: bytes.count, by: split) {
                buffer.writeBytes(bytes[start..<min(start + split, bytes.count)])
                while let reply = try RESPParser.skip(&buffer) { replies.append(reply) }
            }
            #expect(replies == [nil, "ERR wrong number", nil, nil, nil, nil, nil, nil, nil], "split \(split)")
            #expect(buffer.readableBytes == 0)
        }
        for bad in ["?x\r\n", "$abc\r\n", "$3\r\nabcd\r\n", "*-2\r\n"] {
            var buffer = ByteBuffer(string: bad)
            #expect(throws: RESPParser.Failure.self, "\(bad)") { _ = try RESPParser.skip(&buffer) }
        }
    }

    @Test("a batch encodes as the same commands would, numbers and joined arguments included")
    func batchEncoding() {
        var batch = RESPBatch(capacity: 16)
        batch.command("SET", arguments: 4)
        batch.argument(1_700_000_000, UInt8(ascii: "/"), "sw1")
        batch.argument("{\"a\":1}")
        batch.argument("EX")
        batch.argument(30)
        batch.command("ZREMRANGEBYRANK", arguments: 3)
        batch.argument("netchaos:history:", "sw1")
        batch.argument(0)
        batch.argument(-361)
        var expected = ByteBuffer()
        RESPCommand("SET", Array("1700000000/sw1".utf8), Array("{\"a\":1}".utf8), Array("EX".utf8), Array("30".utf8)).write(into: &expected)
        RESPCommand("ZREMRANGEBYRANK", Array("netchaos:history:sw1".utf8), Array("0".utf8), Array("-361".utf8)).write(into: &expected)
        #expect(batch.count == 2 && batch.bytes == expected)
        #expect(RESPBatch.digits(0) == 1 && RESPBatch.digits(-361) == 4 && RESPBatch.digits(Int64.min) == 20 && RESPBatch.digits(Int64.max) == 19)
        var extreme = RESPBatch()
        extreme.command("X", arguments: 2)
        extreme.argument(Int64.min)
        extreme.argument(Int64.max)
        #expect(String(buffer: extreme.bytes) == "*3\r\n$1\r\nX\r\n$20\r\n-9223372036854775808\r\n$19\r\n9223372036854775807\r\n")
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
