import Foundation
import Logging
import Observability
import Testing

@Suite struct JSONLogHandlerTests {
    @Test func writesOneParsableObjectPerLine() throws {
        var pipe: [Int32] = [0, 0]
        #expect(pipe.withUnsafeMutableBufferPointer { Glibc.pipe($0.baseAddress!) } == 0)
        var logger = Logger(label: "netchaos.test") { JSONLogHandler(label: $0, level: .info, stream: JSONLogStream(descriptor: pipe[1])) }
        logger[metadataKey: "role"] = "generate"
        logger.debug("hidden")
        logger.info("throughput", metadata: [
            "total": .stringConvertible(123), "rate": .stringConvertible(4.5), "name": "a \"quoted\"\nline",
            "labels": .dictionary(["normal": .stringConvertible(7)]), "files": .array(["x.jsonl"]),
        ])
        close(pipe[1])
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(pipe[0], &chunk, chunk.count)
            if n <= 0 { break }
            bytes += chunk[0..<n]
        }
        close(pipe[0])
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(object["msg"] as? String == "throughput")
        #expect(object["level"] as? String == "info")
        #expect(object["logger"] as? String == "netchaos.test")
        #expect(object["role"] as? String == "generate")
        #expect(object["total"] as? Int == 123)
        #expect(object["rate"] as? Double == 4.5)
        #expect(object["name"] as? String == "a \"quoted\"\nline")
        #expect((object["labels"] as? [String: Any])?["normal"] as? Int == 7)
        #expect(object["files"] as? [String] == ["x.jsonl"])
        #expect((object["time"] as? String)?.hasSuffix("Z") == true)
    }

    @Test func humanNumbers() {
        #expect(HumanFormat.count(1_234_567) == "1.23M")
        #expect(HumanFormat.count(950) == "950")
        #expect(HumanFormat.bytes(1_572_864) == "1.5 MiB")
    }
}
