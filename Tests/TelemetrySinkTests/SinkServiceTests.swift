import Foundation
import KafkaTransport
import Logging
import ObjectStorage
import Synchronization
import Testing
import TestSupport
@testable import TelemetrySink

/// The sink service against librdkafka's mock cluster and a local directory store.
@Suite(.serialized) struct SinkServiceTests {
    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    /// Shutdown waits for the last uploads as long as they take: a busy machine may take minutes
    /// where an idle one takes a second, and the tests wait on the result, not on the clock.
    static let noShutdownBound: Double = 3_600

    /// A valid flow record with a given seq; every tenth one broken in a way the validator names.
    static func record(_ seq: Int) -> (bytes: [UInt8], valid: Bool) {
        let ip = seq % 10 == 7 ? "300.1.1.\(seq % 250)" : "10.1.\(seq % 200).\(seq % 250)"
        let text = """
            {"timestamp":\(1_795_334_400 + seq / 100),"event_id":"e-\(seq)","src_ip":"\(ip)","dst_ip":"10.0.0.1",\
            "src_port":40000,"dst_port":443,"protocol":"TCP","bytes_sent":\(seq),"bytes_received":10,"latency_ms":3,\
            "packets_sent":2,"flags":["ACK"],"app_layer":{"protocol":"HTTP/2","method":"GET","host":"web","status_code":200},\
            "tags":{"env":"Production","region":"us-east-1","security_group":"sg-000001"},"generator_id":"test","seq":\(seq)}
            """
        return (Array(text.utf8), seq % 10 != 7)
    }

    struct Setup {
        let cluster: KafkaMockCluster
        let topic = "sink-\(UInt32.random(in: 0 ... .max))"
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sink-\(UInt32.random(in: 0 ... .max))").path

        init(partitions: Int, count: Int) throws {
            cluster = try KafkaMockCluster(brokers: 3, logger: SinkServiceTests.quiet)
            try cluster.createTopic(topic, partitions: partitions)
            let producer = try KafkaProducer(
                configuration: KafkaProducerConfiguration(client: KafkaClientConfiguration(brokers: cluster.brokers), topic: topic),
                logger: SinkServiceTests.quiet
            )
            for seq in 0..<count {
                let (bytes, _) = SinkServiceTests.record(seq)
                #expect(producer.produce(value: bytes, key: Array("k\(seq % 13)".utf8)) == .enqueued)
            }
            #expect(producer.flush(timeout: 600) == 0)
            producer.close()
        }

        var consumer: KafkaConsumerConfiguration {
            KafkaConsumerConfiguration(
                client: KafkaClientConfiguration(brokers: cluster.brokers), groupID: "sink-test", topics: [topic], sessionTimeout: 6
            )
        }

        /// Every stored line under `prefix`, decompressed.
        func lines(_ prefix: String) throws -> [String] { try Self.lines(root: root, prefix) }

        /// Every stored line under `prefix` of the store at `root`, decompressed.
        static func lines(root: String, _ prefix: String) throws -> [String] {
            let base = URL(fileURLWithPath: root).appendingPathComponent(prefix)
            guard let files = FileManager.default.enumerator(atPath: base.path) else { return [] }
            var lines: [String] = []
            for case let file as String in files where file.hasSuffix(".json.gz") {
                let data = try Data(contentsOf: base.appendingPathComponent(file))
                let text = try gunzip(data)
                lines += text.split(separator: "\n").map(String.init)
            }
            return lines
        }
    }

    /// gzip -d through the system's gzip (an independent reader).
    static func gunzipSystem(_ data: Data) throws -> String {
        let run = try ChildProcess.run("/bin/gzip", ["-dc"], input: Array(data))
        guard run.status == 0 else { throw ChildProcessError("gzip -dc: exit \(run.status): \(String(decoding: run.error, as: UTF8.self))") }
        return String(decoding: run.output, as: UTF8.self)
    }

    static func seqs(_ lines: [String]) -> [Int] {
        lines.compactMap { line in
            guard let range = line.range(of: "\"seq\":") else { return nil }
            return Int(line[range.upperBound...].prefix(while: \.isNumber))
        }
    }

    @Test("every valid record is stored once, every refused one is a dead letter, and every offset is committed")
    func storesAndCommits() async throws {
        let setup = try Setup(partitions: 4, count: 5_000)
        let store = LocalDirectoryStore(root: setup.root)
        let configuration = SinkConfiguration(store: store.location, batchSize: 700, flushInterval: 1, shutdownTimeout: SinkServiceTests.noShutdownBound, stopAtEnd: true)
        let service = try SinkService(configuration: configuration, consumer: setup.consumer, store: store, logInterval: 0, logger: Self.quiet)
        try await service.run()

        let stored = Self.seqs(try setup.lines("ingest"))
        #expect(stored.count == Set(stored).count)
        #expect(Set(stored) == Set((0..<5_000).filter { Self.record($0).valid }))
        let letters = try setup.lines("dlq").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        #expect(letters.count == 500)
        #expect(letters.allSatisfy { $0["reason"] as? String == "bad_ip" && $0["field"] as? String == "src_ip" })
        let snapshot = service.stats.snapshot
        #expect(snapshot.consumed == 5_000 && snapshot.valid == 4_500 && snapshot.invalid == ["bad_ip": 500])
        #expect(snapshot.committed.values.reduce(0, +) == 5_000)
        #expect(snapshot.recordsStored == 4_500 && snapshot.deadLettersStored == 500)
    }

    @Test("while uploads hold the memory budget reading pauses; once they go through nothing is lost")
    func memoryBudgetPauses() async throws {
        let setup = try Setup(partitions: 3, count: 20_000)
        let store = GatedStore(LocalDirectoryStore(root: setup.root))
        let configuration = SinkConfiguration(
            store: store.location, batchSize: 200, flushInterval: 1, memoryBytes: 1 << 20, uploadConcurrency: 2,
            shutdownTimeout: SinkServiceTests.noShutdownBound, stopAtEnd: true
        )
        let service = try SinkService(configuration: configuration, consumer: setup.consumer, store: store, logInterval: 0, logger: Self.quiet)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await service.run() }
            // Uploads are held back until reading has paused for memory.
            let deadline = Date().addingTimeInterval(60)
            while service.stats.snapshot.pauses == 0 && Date() < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(service.stats.snapshot.pauses >= 1)
            #expect(service.stats.snapshot.consumed < 20_000)
            store.open()
            try await group.waitForAll()
        }
        let stored = Self.seqs(try setup.lines("ingest"))
        #expect(stored.count == Set(stored).count)
        #expect(Set(stored) == Set((0..<20_000).filter { Self.record($0).valid }))
    }
}

private func gunzip(_ data: Data) throws -> String { try SinkServiceTests.gunzipSystem(data) }

/// A store whose puts wait until the test opens it.
final class GatedStore: ObjectStore {
    private let inner: LocalDirectoryStore
    private let gate = Mutex<[CheckedContinuation<Void, Never>]?>([])

    init(_ inner: LocalDirectoryStore) { self.inner = inner }

    var location: String { inner.location }
    func prepare() async throws(ObjectStoreError) { try await inner.prepare() }

    func open() {
        let waiting = gate.withLock { state -> [CheckedContinuation<Void, Never>] in
            defer { state = nil }
            return state ?? []
        }
        for continuation in waiting { continuation.resume() }
    }

    func put(key: String, body: [UInt8], contentType: String) async throws(ObjectStoreError) -> StoredObject {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let wait = gate.withLock { state -> Bool in
                guard state != nil else { return false }
                state!.append(continuation)
                return true
            }
            if !wait { continuation.resume() }
        }
        return try await inner.put(key: key, body: body, contentType: contentType)
    }

    func get(key: String) async throws(ObjectStoreError) -> [UInt8] { try await inner.get(key: key) }
    func list(prefix: String) async throws(ObjectStoreError) -> [StoredObject] { try await inner.list(prefix: prefix) }
    func delete(key: String) async throws(ObjectStoreError) { try await inner.delete(key: key) }
}
