import Settings
import ChaosEngine
import Foundation
import GeneratorRuntime
import Logging
import Testing

/// Runs the generator into temporary files and checks what landed.
@Suite struct GeneratorServiceTests {
    static func directory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("netchaos-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func run(_ configuration: GeneratorConfiguration) async throws -> GenerationSnapshot {
        let service = GeneratorService(configuration: configuration, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        try await service.run()
        return try #require(service.summary)
    }

    static func config(count: UInt64?, workers: Int, outputs: [OutputSpec], rotate: Int? = nil, rate: Double? = nil) -> GeneratorConfiguration {
        var network = NetworkDeclaration.standard
        network.load.shape = .flat
        return GeneratorConfiguration(
            rate: rate, workers: workers, count: count, seed: 99, startTime: 1_780_000_000, outputs: outputs, rotateBytes: rotate,
            chaos: ChaosConfiguration(malformed: Probability(0.01)!, drop: Probability(0.01)!), network: network
        )
    }

    static func lines(_ path: String) throws -> [Substring] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
    }

    @Test(arguments: [1, 4_095, 4_096, 4_097, 30_000])
    func writesExactlyTheCount(_ count: Int) async throws {
        let dir = try Self.directory()
        let summary = try await Self.run(Self.config(count: UInt64(count), workers: 2, outputs: [OutputSpec(destination: .file(path: "\(dir)/a.jsonl"), format: .jsonl)]))
        #expect(summary.records == UInt64(count))
        #expect(try Self.lines("\(dir)/a.jsonl").count == count)
        #expect(summary.outputs[0].records == UInt64(count))
        #expect(summary.errors.isEmpty)
        #expect(summary.byLabel.reduce(0, +) == UInt64(count))
    }

    @Test func outputIsIdenticalAcrossWorkerCounts() async throws {
        var contents: [Data] = []
        for workers in [1, 2, 4] {
            let dir = try Self.directory()
            _ = try await Self.run(Self.config(count: 20_000, workers: workers, outputs: [
                OutputSpec(destination: .file(path: "\(dir)/a.jsonl"), format: .jsonl),
                OutputSpec(destination: .file(path: "\(dir)/a.csv"), format: .csv),
            ]))
            contents.append(try Data(contentsOf: URL(fileURLWithPath: "\(dir)/a.jsonl")) + Data(contentsOf: URL(fileURLWithPath: "\(dir)/a.csv")))
        }
        #expect(contents[0].count > 10_000_000)
        #expect(contents[0] == contents[1])
        #expect(contents[0] == contents[2])
    }

    @Test func everyOutputReceivesEveryRecord() async throws {
        let dir = try Self.directory()
        let summary = try await Self.run(Self.config(count: 12_345, workers: 2, outputs: [
            OutputSpec(destination: .file(path: "\(dir)/a.jsonl"), format: .jsonl),
            OutputSpec(destination: .file(path: "\(dir)/b.csv"), format: .csv),
            OutputSpec(destination: .file(path: "\(dir)/c.json.gz"), format: .jsonGz),
        ]))
        #expect(summary.outputs.map(\.records) == [12_345, 12_345, 12_345])
        let json = try Self.lines("\(dir)/a.jsonl")
        let csv = try Self.lines("\(dir)/b.csv")
        #expect(json.count == 12_345 && csv.count == 12_346)
        // Same sequence numbers in both (truncated records carry none in either).
        let jsonSeqs = json.compactMap { line -> String? in
            guard line.hasSuffix("}"), let range = line.range(of: ",\"seq\":", options: .backwards) else { return nil }
            return String(line[range.upperBound...].dropLast())
        }
        let csvSeqs = csv.dropFirst().compactMap { row -> String? in
            let fields = row.split(separator: ",", omittingEmptySubsequences: false)
            return fields.count < 24 ? nil : String(fields.last!)
        }
        #expect(jsonSeqs.count > 12_000)
        #expect(jsonSeqs.elementsEqual(csvSeqs), "jsonl and csv hold the same records")
        let gz = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/c.json.gz"))
        #expect(gz.prefix(2) == Data([0x1f, 0x8b]))
        #expect(summary.outputs[2].bytes == UInt64(gz.count))
    }

    @Test func rotationSplitsAtRecordBoundaries() async throws {
        let dir = try Self.directory()
        let limit = 256 * 1024
        let summary = try await Self.run(Self.config(count: 10_000, workers: 2, outputs: [
            OutputSpec(destination: .file(path: "\(dir)/r.jsonl"), format: .jsonl),
            OutputSpec(destination: .file(path: "\(dir)/r.csv"), format: .csv),
        ], rotate: limit))
        let jsonFiles = summary.outputs[0].files
        #expect(jsonFiles.count >= 15)
        #expect(jsonFiles.first == "\(dir)/r-000001.jsonl")
        var total = 0
        for file in jsonFiles {
            let data = try Data(contentsOf: URL(fileURLWithPath: file))
            #expect(data.count <= limit)
            #expect(data.last == UInt8(ascii: "\n"))
            total += try Self.lines(file).count
        }
        #expect(total == 10_000)
        for file in summary.outputs[1].files {
            #expect(try Self.lines(file).first == Substring(String(decoding: Array(GeneratorServiceTests.csvHeader), as: UTF8.self)))
        }
    }

    static let csvHeader = "timestamp,event_id,src_ip,dst_ip,src_port,dst_port,protocol,bytes_sent,bytes_received,latency_ms,packets_sent,flags,app_layer.protocol,app_layer.method,app_layer.host,app_layer.status_code,tags.env,tags.region,tags.security_group,tags.vpc_id,tags.account_id,packets_received,start_ms,end_ms,session_id,label,anomalies,malformed_kind,incident_id,technique,stage,generator_id,seq".utf8

    @Test func pacedRunKeepsItsRateAndStopsOnRequest() async throws {
        let dir = try Self.directory()
        let config = Self.config(count: 600, workers: 1, outputs: [OutputSpec(destination: .file(path: "\(dir)/p.jsonl"), format: .jsonl)], rate: 1_000)
        let started = Date()
        let summary = try await Self.run(config)
        let elapsed = Date().timeIntervalSince(started)
        #expect(summary.records == 600)
        // At 1000/s the network's second is the wall's: the last record was not written before
        // its event time came.
        let last = try #require(try Self.lines("\(dir)/p.jsonl").last)
        let endMs = try #require(last.range(of: "\"end_ms\":").map { Int64(last[$0.upperBound...].prefix { $0.isNumber })! })
        #expect(elapsed >= Double(endMs - 1_780_000_000_000) / 1_000 - 0.01)
        #expect(endMs > 1_780_000_000_000 + 300)

        let service = GeneratorService(configuration: Self.config(count: nil, workers: 2, outputs: [OutputSpec(destination: .file(path: "\(dir)/s.jsonl"), format: .jsonl)], rate: 10_000), logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        async let run: Void = service.run()
        while (try? FileManager.default.attributesOfItem(atPath: "\(dir)/s.jsonl")[.size] as? Int) ?? 0 < 10_000 {
            try await Task.sleep(for: .milliseconds(10))
        }
        service.requestStop()
        try await run
        let stopped = try #require(service.summary)
        #expect(stopped.records > 0)
        #expect(try Self.lines("\(dir)/s.jsonl").count == Int(stopped.records))
    }

    @Test func unwritableOutputFailsBeforeGenerating() async throws {
        await #expect(throws: GeneratorError.self) {
            _ = try await Self.run(Self.config(count: 10, workers: 1, outputs: [OutputSpec(destination: .file(path: "/proc/netchaos/x.jsonl"), format: .jsonl)]))
        }
    }
}
