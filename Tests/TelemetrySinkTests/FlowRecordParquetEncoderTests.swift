import ChaosEngine
import KafkaTransport
import Testing

@testable import TelemetryFormats
@testable import TelemetryModel
@testable import TelemetrySink

/// The sink's Parquet objects, written from the spans the validator stored (no second parse), read
/// back with the Parquet reader and compared with the generator's own Parquet of the same records.
@Suite struct FlowRecordParquetEncoderTests {
    static let stride = FlowRecordField.allCases.count

    /// Validates each record (one per line) and batches the valid ones with their spans.
    static func batch(_ lines: [[UInt8]]) -> (batch: PartitionBatch, valid: [Int]) {
        var batch = PartitionBatch(topicPartition: KafkaTopicPartition(topic: "t", partition: 0), firstOffset: 0, openedAt: .now)
        var spans = [FlowSpan](repeating: FlowSpan(), count: stride)
        var valid: [Int] = []
        let validator = FlowRecordValidator()
        for (i, line) in lines.enumerated() {
            line.withUnsafeBytes { record in
                spans.withUnsafeMutableBufferPointer { spans in
                    guard case .success(let parsed) = validator.validate(record, spans: spans.baseAddress) else { return }
                    batch.append(record: record, offset: Int64(i), eventTime: parsed.timestamp, spans: UnsafeBufferPointer(spans))
                    valid.append(i)
                }
            }
        }
        return (batch, valid)
    }

    static func encode(_ batch: PartitionBatch) throws -> ParquetFileReader {
        try ParquetFileReader(bytes: try FlowRecordParquetEncoder(level: 1).encode(batch))
    }

    @Test("every flat column of the sink's Parquet equals the generator's Parquet of the same records")
    func sameAsTheGenerator() throws {
        let chaos = ChaosConfiguration(
            enabled: true, latencySpike: Probability(0.1)!, connectionReset: Probability(0.1)!, exfiltration: Probability(0.05)!,
            malformed: Probability(0.05)!, drop: Probability(0.01)!, portScan: PortScanConfiguration(enabled: true, intervalSeconds: 1)
        )
        let settings = SimulationSettings(seed: 9, startMs: 1_795_960_800_000, timeRate: 2_000, chaos: chaos)
        let simulation = FlowSimulation(declaration: .standard, settings: settings)
        let events = Array(simulation.sequentialRecords(untilMs: settings.startMs + 240_000).filter { !$0.dropped }.prefix(3_000))
        try #require(events.count == 3_000)
        let vocabulary = simulation.topology.vocabulary(generatorID: "gen-sink")

        let json = FlowJSONEncoder(vocabulary: vocabulary)
        var buffer = WriteBuffer()
        var ends = [Int](repeating: 0, count: events.count)
        events.withUnsafeBufferPointer { e in ends.withUnsafeMutableBufferPointer { json.encode(e.baseAddress!, count: e.count, into: &buffer, recordEnds: $0.baseAddress!) } }
        let bytes = buffer.bytes
        var lines: [[UInt8]] = []
        var start = 0
        for end in ends {
            lines.append(Array(bytes[start..<(end - 1)]))
            start = end
        }
        let (batch, valid) = Self.batch(lines)
        #expect(valid.count > 2_500 && valid.count < events.count, "malformed records are refused, the rest kept")
        #expect(valid == events.indices.filter { events[$0].malformation == nil })

        let generator = FlowParquetEncoder(vocabulary: vocabulary, options: ParquetWriterOptions(compression: .zstd))
        var out = WriteBuffer()
        events.withUnsafeBufferPointer { generator.append($0.baseAddress!, count: $0.count, into: &out) }
        generator.finish(into: &out)
        let expected = try ParquetFileReader(bytes: out.bytes)
        let sink = try Self.encode(batch)

        #expect(sink.rowCount == Int64(valid.count) && sink.rowGroupCount == 1)
        #expect(sink.columns.map(\.path) == expected.columns.map(\.path))
        #expect(sink.columns.map(\.path).map { $0.joined(separator: ".") }.filter { !$0.hasSuffix(".list.element") } == FlowRecordField.leaves.filter {
            if case .names = $0.value { return false }
            return true
        }.map(\.path))
        for field in FlowRecordField.leaves {
            if case .names = field.value { continue }
            let path = field.container.map { [$0.key, field.key] } ?? [field.key]
            let stored = try sink.readColumn(path)
            let generated = try expected.readColumn(path)
            if let integers = generated.integers {
                #expect(stored.integers == valid.map { integers[$0] }, "\(field)")
            } else {
                let strings = try #require(generated.strings)
                #expect(stored.strings == valid.map { strings[$0] }, "\(field)")
            }
        }
        let incidents = try #require(try sink.readColumn(["incident_id"]).strings)
        #expect(incidents.contains(nil) && incidents.contains { $0 != nil }, "the sample holds incidents and normal traffic")
    }

    @Test("records of the message producer, keys in any order, whitespace, escapes and null: each value where the record has it")
    func anyShape() throws {
        let producer = """
            { "tags" : {"region":"eu-west-1","security_group":"sg-1","env":"prod"}, "timestamp": 1700000000, "event_id":"e-1",
              "src_ip":"10.0.0.1","dst_ip":"10.0.0.2","src_port":40000,"dst_port":443,"protocol":"TCP","bytes_sent":10,
              "bytes_received":20,"latency_ms":7,"packets_sent":3,"flags":[],
              "app_layer":{"status_code":200,"host":"ex\\u0061mple.com","method":"GET","protocol":"HTTPS"} }
            """
        let generated = """
            {"timestamp":1700000001,"event_id":"e-\\"2\\"","src_ip":"10.0.0.3","dst_ip":"10.0.0.4","src_port":1,"dst_port":22,\
            "protocol":"UDP","bytes_sent":0,"bytes_received":0,"latency_ms":2147483647,"packets_sent":1,"flags":["SYN","ACK"],\
            "app_layer":{"protocol":"SSH","method":"","host":"","status_code":0},\
            "tags":{"env":"dev","region":"us","security_group":"sg-2","vpc_id":"vpc-9"},"packets_received":4,\
            "start_ms":1700000000500,"end_ms":1700000001250,"session_id":77,"label":"normal","anomalies":[],\
            "incident_id":"inc-0800000000000001","technique":null,"stage":"impact","generator_id":"g\\/1","seq":5}
            """
        let broken = #"{"timestamp":1}"#
        let (batch, valid) = Self.batch([producer, broken, generated].map { Array($0.utf8) })
        #expect(valid == [0, 2])
        let file = try Self.encode(batch)
        #expect(file.rowCount == 2)
        func strings(_ path: String...) throws -> [String?] { try #require(try file.readColumn(path).strings) }
        func integers(_ path: String...) throws -> [Int64?] { try #require(try file.readColumn(path).integers) }
        #expect(try integers("timestamp") == [1_700_000_000_000, 1_700_000_001_250])
        #expect(try strings("event_id") == ["e-1", "e-\"2\""])
        #expect(try strings("app_layer", "host") == ["example.com", ""])
        #expect(try strings("app_layer", "protocol") == ["HTTPS", "SSH"])
        #expect(try integers("app_layer", "status_code") == [200, 0])
        #expect(try strings("tags", "env") == ["prod", "dev"])
        #expect(try strings("tags", "vpc_id") == [nil, "vpc-9"])
        #expect(try strings("protocol") == ["TCP", "UDP"])
        #expect(try integers("latency_ms") == [7, 2_147_483_647])
        #expect(try integers("packets_received") == [nil, 4])
        #expect(try integers("seq") == [nil, 5])
        #expect(try strings("generator_id") == [nil, "g/1"])
        #expect(try strings("label") == [nil, "normal"])
        #expect(try strings("incident_id") == [nil, "inc-0800000000000001"])
        #expect(try strings("technique") == [nil, nil])
        #expect(try strings("stage") == [nil, "impact"])
        #expect(try strings("malformed_kind") == [nil, nil])
    }

    @Test("a batch read without field spans is refused with a reason, not written wrong")
    func withoutSpans() throws {
        var batch = PartitionBatch(topicPartition: KafkaTopicPartition(topic: "t", partition: 0), firstOffset: 0, openedAt: .now)
        let record = Array(#"{"a":1}"#.utf8)
        record.withUnsafeBytes { batch.append(record: $0, offset: 0, eventTime: 0) }
        let error = #expect(throws: FlowRecordParquetEncoder.Failure.self) { try FlowRecordParquetEncoder(level: 1).encode(batch) }
        #expect(error?.description.contains("field spans for 1 records") == true)
    }
}
