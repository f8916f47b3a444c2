import Foundation
import KafkaTransport
import Synchronization
import Testing

@Suite("Closing a consumer while other threads use it")
struct KafkaConsumerCloseTests {
    @Test("commits, pauses and lag reads from other threads while the consumer closes: each succeeds or is refused as closed, none touches a freed client")
    func closeWhileOthersCall() throws {
        let kafka = try MockKafka(partitions: 4)
        let producer = try kafka.producer()
        try producer.connect()
        for seq in 0..<400 { #expect(producer.produce(value: record(seq, key: "k\(seq % 8)"), key: Array("k\(seq % 8)".utf8)) == .enqueued) }
        #expect(producer.flush() == 0)
        producer.close()

        let consumer = try KafkaConsumer(configuration: kafka.consumerConfiguration(), logger: quiet)
        try consumer.connect()
        try consumer.subscribe()
        var read = 0
        #expect(waitUntil { read += consumer.poll(maxMessages: 1_000, timeout: 0.1).count; return read == 400 }, "read \(read) of 400")
        let partitions = consumer.assignment.sorted()
        try #require(partitions.count == 4)

        // Three threads call into the consumer until it refuses them.
        let refusals = Mutex<[String]>([])
        let others = Mutex<[String]>([])
        let calls = Atomic<Int>(0)
        let done = DispatchGroup()
        let work: [@Sendable () throws -> Void] = [
            { try consumer.commit(partitions.map { KafkaTopicPartitionOffset($0, offset: 1) }) },
            {
                try consumer.pause(partitions)
                try consumer.resume(partitions)
            },
            {
                _ = consumer.lag(of: partitions)
                _ = try consumer.committed(partitions, timeout: 120)
            },
        ]
        for body in work {
            done.enter()
            Thread.detachNewThread {
                defer { done.leave() }
                while true {
                    do {
                        try body()
                        calls.add(1, ordering: .relaxed)
                    } catch {
                        if "\(error)".contains("the consumer is closed") {
                            refusals.withLock { $0.append("\(error)") }
                            return
                        }
                        others.withLock { $0.append("\(error)") }
                        return
                    }
                }
            }
        }
        #expect(waitUntil { calls.load(ordering: .relaxed) >= 30 }, "the threads made calls before the close")
        consumer.close()
        #expect(done.wait(timeout: .now() + 120) == .success, "every thread ended")
        #expect(others.withLock { $0 }.isEmpty, "\(others.withLock { $0 })")
        #expect(refusals.withLock { $0 }.count == 3, "each thread was refused once closing began")
        // After close: refused, or nothing to report.
        #expect(throws: KafkaError.self) { try consumer.commit([KafkaTopicPartitionOffset(partitions[0], offset: 2)]) }
        #expect(consumer.assignment.isEmpty && consumer.lag(of: partitions).isEmpty)
        #expect(consumer.poll(maxMessages: 10, timeout: 0).count == 0)
        consumer.close()  // a second close does nothing
    }
}
