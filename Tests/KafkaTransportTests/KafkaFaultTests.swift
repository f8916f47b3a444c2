import Foundation
import KafkaTransport
import Testing

@Suite("Faults: brokers down, produce errors, unreachable clusters")
struct KafkaFaultTests {
    @Test("a broker down for part of the run plus injected produce errors: every record exactly once, in key order")
    func brokerDownAndProduceErrors() throws {
        let kafka = try MockKafka(partitions: 6)
        let producer = try kafka.producer(compression: .zstd, properties: ["retry.backoff.ms": "20"])
        try producer.connect()
        let count = 20_000
        let keys = (0..<64).map { "10.2.\($0 / 8).\($0 % 8)" }
        for seq in 0..<count {
            if seq == 5_000 {
                // Let some of the first records land, then cut broker 1 off and make the next
                // produce requests fail in several retriable ways.
                #expect(waitUntil { producer.report.delivered >= 1_000 })
                kafka.cluster.setBrokerDown(1)
                kafka.cluster.pushRequestErrors(apiKey: KafkaAPIKey.produce, [
                    KafkaErrorCode.notLeaderForPartition, KafkaErrorCode.requestTimedOut, KafkaErrorCode.notEnoughReplicas,
                    KafkaErrorCode.requestTimedOut, KafkaErrorCode.leaderNotAvailable, KafkaErrorCode.notLeaderForPartition,
                ])
            }
            if seq == 15_000 {
                // Records for partitions led by other brokers kept flowing meanwhile.
                #expect(waitUntil { producer.report.delivered >= 6_000 })
                kafka.cluster.setBrokerUp(1)
            }
            #expect(producer.produce(value: record(seq, key: keys[seq % keys.count]), key: Array(keys[seq % keys.count].utf8)) == .enqueued)
        }
        #expect(producer.flush(timeout: 120) == 0)
        let report = producer.report
        #expect(report.failed.isEmpty, "failed: \(report.failed)")
        #expect(report.delivered == UInt64(count))
        producer.close()

        let consumer = try KafkaConsumer(configuration: kafka.consumerConfiguration(), logger: quiet)
        try consumer.subscribe()
        let received = consumeAll(consumer, count: count, timeout: 90)
        // Anything more would be a duplicate: give it a moment to show up.
        let extra = consumer.poll(maxMessages: 1_000, timeout: 1)
        consumer.close()
        #expect(extra.count == 0, "duplicates after the expected count")
        let seqs = received.map(seqOf)
        #expect(seqs.count == count)
        #expect(Set(seqs) == Set(0..<count), "missing: \(Set(0..<count).subtracting(seqs).sorted().prefix(10))")
        var last: [String: Int] = [:]
        for message in received {
            let key = String(decoding: message.key ?? [], as: UTF8.self)
            let seq = seqOf(message)
            #expect(seq > last[key, default: -1], "key \(key): \(seq) after \(last[key, default: -1])")
            last[key] = seq
        }
    }

    // A hang fails by the time limit; no wall-clock upper bound that a loaded machine could break.
    @Test("unreachable brokers give a clear error after the connect timeout, not a hang", .timeLimit(.minutes(5)))
    func unreachableBrokers() throws {
        let client = KafkaClientConfiguration(brokers: ["127.0.0.1:1"], connectTimeout: 1.5)
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: client, topic: "flows"), logger: quiet)
        let started = Date()
        let error = #expect(throws: KafkaError.self) { try producer.connect() }
        let elapsed = Date().timeIntervalSince(started)
        #expect(elapsed >= 1.4, "took \(elapsed) s")
        #expect(error?.description.contains("reach Kafka at 127.0.0.1:1 within 1.5s") == true, "\(String(describing: error))")
        #expect(error?.isRetriable == true)
        producer.close()
    }

    @Test("a record larger than the broker takes is counted as failed, and the others still go")
    func oversizedRecord() throws {
        let kafka = try MockKafka(partitions: 1)
        let producer = try kafka.producer(compression: .none, key: .none, properties: ["message.max.bytes": "2000"])
        _ = producer.produce(value: record(0, key: "a"))
        let outcome = producer.produce(value: [UInt8](repeating: 0x41, count: 5_000))
        guard case .rejected(let error) = outcome else {
            Issue.record("expected a rejection, got \(outcome)")
            return
        }
        #expect(error.name == "MSG_SIZE_TOO_LARGE")
        _ = producer.produce(value: record(1, key: "a"))
        #expect(producer.flush(timeout: 600) == 0)
        #expect(producer.report.delivered == 2)
        #expect(producer.report.failed == ["MSG_SIZE_TOO_LARGE": 1])
        producer.close()
    }
}
