import Foundation
import KafkaTransport
import Testing

@Suite("Producer and consumer against librdkafka's mock cluster (3 brokers)")
struct KafkaRoundTripTests {
    @Test("every codec round-trips the exact records, in key order", arguments: KafkaCompression.allCases)
    func codecRoundTrip(compression: KafkaCompression) throws {
        let kafka = try MockKafka()
        let producer = try kafka.producer(compression: compression)
        #expect(try producer.connect() == 6)
        let count = 3_000
        let keys = (0..<40).map { "10.1.0.\($0)" }
        for seq in 0..<count {
            let key = keys[seq % keys.count]
            #expect(producer.produce(value: record(seq, key: key), key: Array(key.utf8)) == .enqueued)
        }
        #expect(producer.flush(timeout: 600) == 0)
        let report = producer.report
        #expect(report.enqueued == UInt64(count) && report.delivered == UInt64(count) && report.failed.isEmpty)
        producer.close()

        let received = try expectExactlyOnceInKeyOrder(kafka, count: count, keys: keys)
        var partitionOfKey: [String: Int32] = [:]
        for message in received {
            let key = String(decoding: message.key ?? [], as: UTF8.self)
            // One key, one partition.
            #expect(partitionOfKey[key, default: message.topicPartition.partition] == message.topicPartition.partition)
            partitionOfKey[key] = message.topicPartition.partition
        }
        #expect(Set(partitionOfKey.values).count > 1, "40 keys should spread over several of 6 partitions")
    }

    @Test("commits store exactly the offsets given; a new member of the group resumes there")
    func commitsExactOffsets() throws {
        let kafka = try MockKafka(partitions: 1)
        let producer = try kafka.producer(compression: .none, key: .none)
        for seq in 0..<100 { _ = producer.produce(value: record(seq, key: "k")) }
        #expect(producer.flush(timeout: 600) == 0)
        producer.close()

        let group = "commit-\(UInt32.random(in: 0 ... .max))"
        let partition = KafkaTopicPartition(topic: kafka.topic, partition: 0)
        let first = try KafkaConsumer(configuration: kafka.consumerConfiguration(group: group), logger: quiet)
        try first.subscribe()
        let all = consumeAll(first, count: 100)
        #expect(all.map(seqOf) == Array(0..<100))
        // Only the first 37 are "done".
        try first.commit([KafkaTopicPartitionOffset(partition, offset: 37)])
        #expect(try first.committed([partition])[partition] == 37)
        first.close()

        let second = try KafkaConsumer(configuration: kafka.consumerConfiguration(group: group), logger: quiet)
        try second.subscribe()
        let rest = consumeAll(second, count: 63)
        #expect(rest.map(seqOf) == Array(37..<100))
        second.close()
    }

    @Test("lag comes from the high watermark; paused partitions stop fetching until resumed")
    func lagPauseResume() throws {
        let kafka = try MockKafka(partitions: 1)
        let producer = try kafka.producer(compression: .lz4, key: .none)
        for seq in 0..<500 { _ = producer.produce(value: record(seq, key: "k")) }
        #expect(producer.flush(timeout: 600) == 0)

        let consumer = try KafkaConsumer(configuration: kafka.consumerConfiguration(), logger: quiet)
        try consumer.subscribe()
        let partition = KafkaTopicPartition(topic: kafka.topic, partition: 0)
        let firstTen = consumeAll(consumer, count: 10)
        #expect(firstTen.map(seqOf) == Array(0..<10))
        #expect(waitUntil { consumer.lag().first.map { $0.lag == 490 && $0.position == 10 } ?? false })
        #expect(try consumer.queryWatermarks(partition).high == 500)
        #expect(consumer.assignment == [partition])
        // Read everything, then pause, produce more, and see no message while paused.
        #expect(consumeAll(consumer, count: 490).map(seqOf) == Array(10..<500))
        #expect(waitUntil { consumer.lag().first?.lag == 0 })
        try consumer.pause([partition])
        for seq in 500..<600 { _ = producer.produce(value: record(seq, key: "k")) }
        #expect(producer.flush(timeout: 600) == 0)
        #expect(try consumer.queryWatermarks(partition).high == 600)
        let whilePaused = consumer.poll(maxMessages: 1_000, timeout: 1.0)
        #expect(whilePaused.count == 0)
        try consumer.resume([partition])
        let after = consumeAll(consumer, count: 100)
        #expect(after.map(seqOf) == Array(500..<600))
        #expect(waitUntil { consumer.lag().first.map { $0.lag == 0 && $0.highWatermark == 600 } ?? false })
        consumer.close()
        producer.close()
    }
}
