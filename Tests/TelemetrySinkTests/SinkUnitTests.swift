import Foundation
import KafkaTransport
import Testing
@testable import TelemetrySink

@Suite struct ObjectNamerTests {
    @Test("keys depend on topic, partition, first offset and the first record's hour, zero-padded to 20 digits")
    func keys() {
        let namer = ObjectNamer()
        // 2026-11-22T08:15:00Z
        let key = namer.recordsKey(topic: "network-telemetry", partition: 3, firstOffset: 120_000, eventTime: 1_795_335_300)
        #expect(key == "ingest/topic=network-telemetry/dt=2026-11-22/hour=08/partition=3/network-telemetry+3+00000000000000120000.json.gz")
        let dead = ObjectNamer(format: .jsonZstd).deadLettersKey(topic: "t", partition: 0, firstOffset: 7)
        #expect(dead == "dlq/topic=t/partition=0/t+0+00000000000000000007.json.zst")
    }

    @Test("UTC date and hour match Foundation's calendar across years, leap days and the epoch")
    func dateHour() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let samples: [Int64] = [0, 59, 3_599, 3_600, 86_399, 86_400, 951_782_400, 951_868_799, 1_709_164_800, 1_795_335_300, 4_102_444_799, 253_402_300_799]
        for seconds in samples {
            let parts = calendar.dateComponents([.year, .month, .day, .hour], from: Date(timeIntervalSince1970: Double(seconds)))
            let expected = String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
            let (date, hour) = ObjectNamer.dateHour(seconds)
            #expect(date == expected, "\(seconds)")
            #expect(hour == String(format: "%02d", parts.hour!), "\(seconds)")
        }
    }
}

@Suite struct PartitionBatchTests {
    @Test("valid records become NDJSON, refused ones dead-letter lines that parse back with their reason and record")
    func contents() throws {
        let tp = KafkaTopicPartition(topic: "t", partition: 2)
        var batch = PartitionBatch(topicPartition: tp, firstOffset: 10, openedAt: .now)
        let good = Array(#"{"a":1}"#.utf8)
        let bad = Array("{\"a\":\"x\n\u{01}\"".utf8)
        good.withUnsafeBytes { batch.append(record: $0, offset: 10, eventTime: 100) }
        bad.withUnsafeBytes {
            batch.append(deadLetter: DeadLetter(topic: "t", partition: 2, offset: 11, reason: "invalid_json", field: "", detail: "ends early"), record: $0)
        }
        let binary: [UInt8] = [0xFF, 0xFE, 0x22]
        binary.withUnsafeBytes {
            batch.append(deadLetter: DeadLetter(topic: "t", partition: 2, offset: 13, reason: "invalid_json", field: "", detail: "not UTF-8"), record: $0)
        }
        #expect(batch.messages == 3)
        #expect(batch.firstOffset == 10 && batch.lastOffset == 13)
        #expect(batch.firstRecordOffset == 10 && batch.firstRecordTime == 100)
        #expect(batch.firstDeadLetterOffset == 11)
        #expect(String(decoding: batch.records, as: UTF8.self) == "{\"a\":1}\n")
        let lines = batch.deadLetterLines()
        #expect(lines.count == 2)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0])) as? [String: Any])
        #expect(first["offset"] as? Int == 11)
        #expect(first["partition"] as? Int == 2)
        #expect(first["reason"] as? String == "invalid_json")
        #expect(first["record"] as? String == "{\"a\":\"x\n\u{01}\"")
        let second = try #require(try JSONSerialization.jsonObject(with: Data(lines[1])) as? [String: Any])
        #expect(second["record_base64"] as? String == Data(binary).base64EncodedString())
        #expect(second["record"] == nil)
    }
}

@Suite struct UploadQueueTests {
    func batch(_ partition: Int32, _ first: Int64, epoch: Int = 0) -> PartitionBatch {
        var batch = PartitionBatch(topicPartition: KafkaTopicPartition(topic: "t", partition: partition), firstOffset: first, openedAt: .now)
        Array("{}".utf8).withUnsafeBytes { batch.append(record: $0, offset: first, eventTime: 0) }
        batch.epoch = epoch
        return batch
    }

    @Test("one batch per partition at a time, in offset order; other partitions go meanwhile")
    func ordering() async {
        let queue = UploadQueue()
        queue.submit(batch(0, 0))
        queue.submit(batch(0, 1))
        queue.submit(batch(1, 0))
        let a = await queue.next()
        let b = await queue.next()
        #expect(a?.topicPartition.partition == 0 && a?.firstOffset == 0)
        #expect(b?.topicPartition.partition == 1)
        #expect(!queue.isIdle())
        queue.finished(a!)
        let c = await queue.next()
        #expect(c?.topicPartition.partition == 0 && c?.firstOffset == 1)
        queue.finished(b!)
        queue.finished(c!)
        #expect(queue.isIdle())
        #expect(queue.heldBytes == 0)
        queue.close()
        #expect(await queue.next() == nil)
    }

    @Test("discarding a partition drops its queued batches and makes its uploading batch stale")
    func discard() async {
        let queue = UploadQueue()
        queue.submit(batch(0, 0))
        queue.submit(batch(0, 1))
        let uploading = await queue.next()!
        #expect(queue.isCurrent(uploading))
        #expect(queue.discard([KafkaTopicPartition(topic: "t", partition: 0)]) == 1)
        #expect(!queue.isCurrent(uploading))
        #expect(queue.epoch(of: KafkaTopicPartition(topic: "t", partition: 0)) == 1)
        queue.finished(uploading)
        #expect(queue.isIdle())
        #expect(queue.heldBytes == 0)
    }

    @Test("waitUntilIdle returns once the uploads of the given partitions finish")
    func waitIdle() async {
        let queue = UploadQueue()
        queue.submit(batch(3, 0))
        let taken = await queue.next()!
        #expect(!queue.waitUntilIdle([taken.topicPartition], timeout: 0.05))
        #expect(queue.waitUntilIdle([KafkaTopicPartition(topic: "t", partition: 4)], timeout: 0.05))
        let waiter = Thread { queue.finished(taken) }
        waiter.start()
        #expect(queue.waitUntilIdle([taken.topicPartition], timeout: 10))
    }

    @Test("waitUntilHeld returns once finished uploads bring the bytes held down to the mark")
    func waitHeld() async {
        let queue = UploadQueue()
        queue.submit(batch(0, 0))
        queue.submit(batch(1, 0))
        let each = queue.heldBytes / 2
        #expect(each == 3)  // "{}" and its newline
        #expect(queue.waitUntilHeld(atMost: 2 * each, timeout: 0))
        #expect(!queue.waitUntilHeld(atMost: each, timeout: 0.05))
        let first = await queue.next()!
        let second = await queue.next()!
        let finisher = Thread { queue.finished(first) }
        finisher.start()
        #expect(queue.waitUntilHeld(atMost: each, timeout: 60))
        #expect(queue.heldBytes == each)
        #expect(!queue.waitUntilHeld(atMost: 0, timeout: 0.05))
        queue.finished(second)
        #expect(queue.waitUntilHeld(atMost: 0, timeout: 0))
    }
}

@Suite struct RetryPolicyTests {
    @Test("backoff doubles from the initial delay, stays within half to all of it, and is capped")
    func backoff() {
        let policy = RetryPolicy(initial: 0.2, maximum: 3)
        for attempt in 0..<40 {
            let ceiling = min(3, 0.2 * pow(2, Double(attempt)))
            for _ in 0..<20 {
                let delay = policy.delay(afterAttempt: attempt)
                #expect(delay >= ceiling / 2 && delay <= ceiling)
            }
        }
    }
}
