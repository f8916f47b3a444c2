import Foundation
import KafkaTransport
import Testing

@Suite("Producing from payload pool blocks (values read in place until delivered)")
struct KafkaPayloadPoolTests {
    /// A producer whose pool has `blocks` blocks of 2 MiB.
    func producer(_ kafka: MockKafka, blocks: Int, properties: [String: String] = [:]) throws -> KafkaProducer {
        var client = kafka.client
        client.properties = properties
        let configuration = KafkaProducerConfiguration(
            client: client, topic: kafka.topic, compression: .zstd, lingerMilliseconds: 5, queueBytes: blocks * (2 << 20)
        )
        return try KafkaProducer(configuration: configuration, logger: quiet)
    }

    /// Copies `records` into `block` and produces them from there, keyed by `key(seq)`.
    func produce(_ records: [(seq: Int, key: String)], into block: KafkaPayloadBlock, with producer: KafkaProducer) -> KafkaBatchOutcome {
        var bytes: [UInt8] = []
        var ranges: [Range<Int>] = []
        for record in records {
            let value = KafkaTransportTests.record(record.seq, key: record.key)
            ranges.append(bytes.count..<(bytes.count + value.count))
            bytes += value
        }
        bytes.withUnsafeBytes { block.fill(from: $0) }
        let keys = records.map { Array($0.key.utf8) }
        var batch = KafkaRecordBatch(capacity: records.count)
        return keys.withUnsafeBufferPointer { keyArrays in
            let keyBuffers = keyArrays.map { key in
                let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: key.count, alignment: 1)
                copy.copyBytes(from: key)
                return UnsafeRawBufferPointer(copy)
            }
            defer { keyBuffers.forEach { $0.deallocate() } }
            for (i, range) in ranges.enumerated() { batch.append(value: block.slice(range), key: keyBuffers[i]) }
            return producer.produce(&batch, from: block)
        }
    }

    @Test("records produced from two blocks arrive exactly, once each, in key order; every block goes back to the pool")
    func roundTripThroughTwoBlocks() throws {
        let kafka = try MockKafka(partitions: 6)
        let producer = try producer(kafka, blocks: 2)
        try producer.connect()
        let keys = (0..<32).map { "10.3.0.\($0)" }
        let count = 30_000
        var seq = 0
        while seq < count {
            // A pool of two blocks: the third block waits for the deliveries of the first.
            let block = try #require(producer.payloadBlock())
            let records = (seq..<min(seq + 1_000, count)).map { (seq: $0, key: keys[$0 % keys.count]) }
            let outcome = produce(records, into: block, with: producer)
            block.seal()
            #expect(outcome.enqueued == records.count && outcome.rejected == 0)
            seq += records.count
        }
        #expect(producer.flush(timeout: 60) == 0)
        let usage = try #require(producer.payloadPoolUsage)
        #expect(usage.carved == 2 && usage.free == 2, "blocks carved \(usage.carved), free \(usage.free)")
        #expect(producer.report.delivered == UInt64(count) && producer.report.failed.isEmpty)
        producer.close()

        try expectExactlyOnceInKeyOrder(kafka, count: count, keys: keys)
    }

    @Test("with every block in flight to brokers that are down, payloadBlock waits and gives up when told to stop; closing fails and frees them")
    func blocksHeldWhileBrokersAreDown() throws {
        let kafka = try MockKafka(partitions: 3)
        let producer = try producer(kafka, blocks: 2, properties: ["retry.backoff.ms": "20"])
        try producer.connect()
        for broker in Int32(1)...3 { kafka.cluster.setBrokerDown(broker) }
        for round in 0..<2 {
            let block = try #require(producer.payloadBlock())
            let outcome = produce((0..<100).map { (seq: round * 100 + $0, key: "10.4.0.\($0 % 7)") }, into: block, with: producer)
            block.seal()
            #expect(outcome.enqueued == 100)
        }
        var asked = 0
        let third = producer.payloadBlock(shouldStop: {
            asked += 1
            return asked >= 50
        })
        #expect(third == nil, "no block is free while all 200 records wait for their brokers")
        #expect(asked == 50)
        #expect(producer.payloadPoolUsage.map { $0.free } == 0)
        producer.close()
        // The purged messages come back as failed and their blocks are free again.
        #expect(producer.report.failedTotal == 200)
        #expect(producer.report.delivered == 0)
        #expect(producer.payloadPoolUsage.map { $0.free } == 2)
    }
}
