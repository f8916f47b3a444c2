import Foundation
import KafkaTransport
import Logging
import ServiceLifecycle
import Synchronization
import Testing

@Suite("Producer and consumer as services")
struct KafkaServiceTests {
    @Test("the producer service flushes what is queued on graceful shutdown; the consumer service hands batches to its delegate and commits")
    func servicesRoundTrip() async throws {
        let kafka = try MockKafka(partitions: 3)
        let producer = try kafka.producer(compression: .gzip)
        try producer.connect()
        let count = 2_000
        for seq in 0..<count { _ = producer.produce(value: record(seq, key: "k"), key: Array("k\(seq % 7)".utf8)) }
        let group = ServiceGroup(services: [producer], logger: quiet)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        // run() flushed before closing: everything delivered, nothing left.
        #expect(producer.report.delivered == UInt64(count))
        #expect(producer.report.failed.isEmpty)

        let delegate = CollectingDelegate(wanted: count)
        let service = try KafkaConsumerService(configuration: kafka.consumerConfiguration(group: "service-test"), delegate: delegate, logger: quiet)
        try await service.run()  // returns once the delegate is finished
        #expect(Set(delegate.seqs) == Set(0..<count))
        #expect(delegate.seqs.count == count)
        // The delegate committed after each batch: the group's offsets reach the end of every partition.
        let checker = try KafkaConsumer(configuration: kafka.consumerConfiguration(group: "service-test"), logger: quiet)
        let partitions = (0..<3).map { KafkaTopicPartition(topic: kafka.topic, partition: Int32($0)) }
        let committed = try checker.committed(partitions)
        var total: Int64 = 0
        for partition in partitions {
            let end = try checker.queryWatermarks(partition).high
            #expect(committed[partition] == end)
            total += end
        }
        #expect(total == Int64(count))
        checker.close()
    }
}

/// Collects `seq` values and commits after every batch, until it has `wanted`.
final class CollectingDelegate: KafkaConsumerDelegate {
    private let state = Mutex<[Int]>([])
    let wanted: Int

    init(wanted: Int) { self.wanted = wanted }

    var seqs: [Int] { state.withLock { $0 } }
    var isFinished: Bool { state.withLock { $0.count >= wanted } }

    func consumed(_ batch: KafkaMessageBatch, consumer: KafkaConsumer) {
        var next: [KafkaTopicPartition: Int64] = [:]
        var seen: [Int] = []
        for message in batch.copies {
            seen.append(seqOf(message))
            next[message.topicPartition] = message.offset + 1
        }
        try? consumer.commit(next.map { KafkaTopicPartitionOffset($0.key, offset: $0.value) })
        state.withLock { $0 += seen }
    }

    func polled(consumer: KafkaConsumer) {}
    func failed(_ error: KafkaError, consumer: KafkaConsumer) {}
    func partitionsAssigned(_ partitions: [KafkaTopicPartition], consumer: KafkaConsumer) {}
    func partitionsRevoked(_ partitions: [KafkaTopicPartition], lost: Bool, consumer: KafkaConsumer) {}
}
