import Foundation
import Logging
import ObjectStorage
import RecordQueue
import Testing
@testable import TelemetrySink

/// The in-process queue of `netchaos up`, and the sink reading it into a local directory.
@Suite struct QueueSinkTests {
    /// Puts records `range` as one block.
    static func put(_ queue: RecordQueue, _ range: Range<Int>) -> Bool {
        var bytes: [UInt8] = []
        var ends: [Int] = []
        for seq in range {
            bytes += SinkServiceTests.record(seq).bytes
            ends.append(bytes.count)
        }
        return bytes.withUnsafeBytes { queue.put(records: $0, ends: ends) }
    }

    /// Runs `body` on a thread of its own (a put may block, as it does on the generator's writer
    /// thread; blocking one of the few threads that run tasks would stall the sink's uploads).
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: body()) }.start()
        }
    }

    @Test("blocks go to the partitions in turn with consecutive offsets from the first; takers see them in order; commits and ends are tracked")
    func queueOrderAndOffsets() {
        let queue = RecordQueue(topic: "t", partitions: 3, capacityBytes: 1 << 20, firstOffset: 1_000)
        for block in 0..<6 { #expect(Self.put(queue, (block * 10)..<(block * 10 + 10))) }
        let blocks = queue.take(maxBlocks: 100, timeout: 1)
        #expect(blocks.count == 6)
        #expect(blocks.map(\.partition) == [0, 0, 1, 1, 2, 2])
        #expect(blocks.map(\.firstOffset) == [1_000, 1_010, 1_000, 1_010, 1_000, 1_010])
        #expect(String(decoding: blocks[2].record(3), as: UTF8.self) == String(decoding: SinkServiceTests.record(13).bytes, as: UTF8.self))
        #expect(queue.offsets(of: 1) == .init(end: 1_020, position: 1_020, committed: nil))
        queue.commit(partition: 1, offset: 1_020)
        queue.commit(partition: 1, offset: 1_010)  // never backwards
        #expect(queue.offsets(of: 1)?.committed == 1_020)
        #expect(queue.take(maxBlocks: 1, timeout: 0.05).isEmpty, "nothing more: a timeout")
        #expect(!queue.isDrained)
        queue.close()
        #expect(queue.isDrained)
        #expect(!Self.put(queue, 0..<1), "closed: a put is refused")
    }

    @Test("a full queue makes the producer wait until a taker frees room; paused partitions are skipped")
    func backpressureAndPause() async throws {
        func size(_ range: Range<Int>) -> Int { range.map { SinkServiceTests.record($0).bytes.count }.reduce(0, +) }
        let capacity = size(0..<10) + size(10..<20)
        let queue = RecordQueue(topic: "t", partitions: 2, capacityBytes: capacity)
        #expect(Self.put(queue, 0..<10) && Self.put(queue, 10..<20))
        // The same size as the second block: it fits once that one is taken.
        let third = Task { await Self.onThread { Self.put(queue, 10..<20) } }
        try await Task.sleep(for: .milliseconds(200))
        #expect(queue.queuedBytes == capacity, "the third block waits")
        queue.pause([0])
        let taken = queue.take(maxBlocks: 10, timeout: 1)
        #expect(taken.map(\.partition) == [1], "partition 0 is paused")
        #expect(await third.value)
        queue.resume([0])
        #expect(queue.take(maxBlocks: 10, timeout: 1).map(\.firstOffset) == [0, 10])
    }

    @Test("the sink stores every queued record once, dead letters with their reasons, commits every offset, and ends when the closed queue is drained")
    func sinkReadsTheQueue() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("queue-sink-\(UInt32.random(in: 0 ... .max))").path
        let store = LocalDirectoryStore(root: root)
        let queue = RecordQueue(topic: "network-telemetry", partitions: 4, capacityBytes: 256 << 10, firstOffset: 5_000)
        let configuration = SinkConfiguration(store: store.location, batchSize: 300, flushInterval: 1, shutdownTimeout: SinkServiceTests.noShutdownBound)
        let service = SinkService(configuration: configuration, queue: queue, store: store, logInterval: 0, logger: SinkServiceTests.quiet)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await service.run() }
            // More than the queue holds at once: the producer waits for the sink as it goes.
            let all = await Self.onThread { (0..<40).allSatisfy { block in Self.put(queue, (block * 250)..<(block * 250 + 250)) } }
            #expect(all)
            queue.close()
            try await group.waitForAll()
        }
        let lines = try SinkServiceTests.Setup.lines(root: root, "ingest")
        let stored = SinkServiceTests.seqs(lines)
        #expect(stored.count == Set(stored).count)
        #expect(Set(stored) == Set((0..<10_000).filter { SinkServiceTests.record($0).valid }))
        let letters = try SinkServiceTests.Setup.lines(root: root, "dlq").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        #expect(letters.count == 1_000 && letters.allSatisfy { $0["reason"] as? String == "bad_ip" && ($0["offset"] as? Int ?? 0) >= 5_000 })
        for partition in 0..<4 {
            let offsets = try #require(queue.offsets(of: Int32(partition)))
            #expect(offsets.committed == offsets.end && offsets.end == 5_000 + 2_500, "partition \(partition): \(offsets)")
        }
        let snapshot = service.stats.snapshot
        #expect(snapshot.consumed == 10_000 && snapshot.recordsStored == 9_000 && snapshot.deadLettersStored == 1_000)
        #expect(snapshot.recentObjects.count == SinkStats.recentLimit)
        #expect(snapshot.recentObjects.allSatisfy { $0.key.hasPrefix("ingest/topic=network-telemetry/") && $0.records > 0 && $0.bytes > 0 })
    }
}
