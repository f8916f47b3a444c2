import Foundation
import KafkaTransport
import Testing

@Suite("Consumer groups and administration")
struct KafkaGroupTests {
    @Test("a second member joins: the first hears of its revoked partitions while it still holds them; the group splits the work and resumes at the commits")
    func rebalanceHandsBackPartitions() throws {
        let kafka = try MockKafka(partitions: 4)
        let producer = try kafka.producer(compression: .snappy)
        for seq in 0..<400 { _ = producer.produce(value: record(seq, key: "k"), key: Array("k\(seq % 16)".utf8)) }
        #expect(producer.flush(timeout: 600) == 0)
        producer.close()

        let group = "rebalance-\(UInt32.random(in: 0 ... .max))"
        let all = (0..<4).map { KafkaTopicPartition(topic: kafka.topic, partition: Int32($0)) }
        let firstListener = RecordingListener()
        let first = try KafkaConsumer(configuration: kafka.consumerConfiguration(group: group), logger: quiet, listener: firstListener)
        try first.subscribe()
        var firstMessages = consumeAll(first, count: 400)
        #expect(firstMessages.count == 400)
        #expect(first.assignment == Set(all))
        // The first member has finished everything it read and commits it.
        var nextOffsets: [KafkaTopicPartition: Int64] = [:]
        for message in firstMessages { nextOffsets[message.topicPartition] = max(nextOffsets[message.topicPartition] ?? 0, message.offset + 1) }
        #expect(nextOffsets.count == 4, "16 keys should reach all 4 partitions")
        try first.commit(nextOffsets.map { KafkaTopicPartitionOffset($0.key, offset: $0.value) })

        let secondListener = RecordingListener()
        let second = try KafkaConsumer(configuration: kafka.consumerConfiguration(group: group), logger: quiet, listener: secondListener)
        try second.subscribe()
        var secondMessages: [KafkaMessage] = []
        let split = waitUntil(timeout: 60) {
            firstMessages += first.poll(maxMessages: 100, timeout: 0.05).copies
            secondMessages += second.poll(maxMessages: 100, timeout: 0.05).copies
            return first.assignment.count == 2 && second.assignment.count == 2
        }
        #expect(split, "first: \(first.assignment), second: \(second.assignment)")
        #expect(first.assignment.isDisjoint(with: second.assignment))
        #expect(first.assignment.union(second.assignment) == Set(all))
        #expect(firstListener.events.first == .assigned(all))
        #expect(firstListener.events.contains(.revoked(all, lost: false, heldDuringCallback: Set(all))), "\(firstListener.events)")
        // The committed offsets made the second member start after what the first finished.
        #expect(secondMessages.isEmpty, "re-read \(secondMessages.count) records the first member had committed")
        let committed = try second.committed(all)
        for partition in all { #expect(committed[partition] == nextOffsets[partition]) }
        first.close()
        second.close()
    }

    @Test("the admin client reads partition counts; create-topic on a cluster that cannot answer fails clearly within its timeout")
    func adminAgainstMock() throws {
        let cluster = try KafkaMockCluster(brokers: 3, logger: quiet)
        try cluster.createTopic("made-by-mock", partitions: 12)
        let admin = try KafkaAdmin(client: KafkaClientConfiguration(brokers: cluster.brokers), logger: quiet)
        #expect(try admin.partitionCount("made-by-mock") == 12)
        // librdkafka 2.0's mock brokers do not implement CreateTopics (a real cluster does).
        let started = Date()
        let error = #expect(throws: KafkaError.self) {
            try admin.createTopic("created-by-admin", partitions: 12, replicationFactor: 3, timeout: 2)
        }
        // Not a hang: it ends with its 2 s timeout (bounded far above it, so a loaded machine cannot fail this).
        #expect(Date().timeIntervalSince(started) < 300)
        #expect(error?.description.hasPrefix("cannot create topic 'created-by-admin' (12 partitions, replication factor 3)") == true, "\(String(describing: error))")
    }
}
