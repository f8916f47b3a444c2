import ChaosEngine
import Foundation
import GeneratorRuntime
import KafkaTransport
import Logging
import Synchronization
import Testing

/// The generator's Kafka output against librdkafka's mock cluster, with faults.
@Suite struct KafkaOutputTests {
    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    @Test("a broker down mid-run plus injected produce errors: every generated record arrives exactly once, each source address in order")
    func outageLosesNothing() async throws {
        let cluster = try KafkaMockCluster(brokers: 3, logger: Self.quiet)
        let topic = "generated"
        try cluster.createTopic(topic, partitions: 6)
        let count = 60_000
        var kafka = KafkaProducerConfiguration(client: KafkaClientConfiguration(brokers: cluster.brokers), topic: topic)
        kafka.queueMessages = 20_000  // far below the count, so the generator waits while a broker is away
        kafka.client.properties = ["retry.backoff.ms": "20"]
        // Broker 2 comes back only once the consumer has joined its group and read records, which
        // on a loaded machine can take long; the generator waits for it rather than giving up.
        kafka.flushTimeout = 150
        let configuration = GeneratorConfiguration(
            rate: nil, workers: 2, count: UInt64(count), seed: 42, startTime: 1_780_000_000,
            outputs: [OutputSpec(destination: .kafka(brokers: nil, topic: nil), format: .jsonl)], kafka: kafka,
            chaos: ChaosConfiguration(malformed: .zero, drop: .zero)
        )

        // Broker 2 is down from the start and produce requests fail in several retriable ways.
        cluster.setBrokerDown(2)
        cluster.pushRequestErrors(apiKey: KafkaAPIKey.produce, [
            KafkaErrorCode.notLeaderForPartition, KafkaErrorCode.requestTimedOut, KafkaErrorCode.notEnoughReplicas,
            KafkaErrorCode.requestTimedOut, KafkaErrorCode.leaderNotAvailable,
        ])
        // A consumer reads while the generator writes; once records flow through the other
        // brokers, broker 2 comes back.
        let consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(client: KafkaClientConfiguration(brokers: cluster.brokers), groupID: "check", topics: [topic]),
            logger: Self.quiet
        )
        try consumer.subscribe()
        let received = Mutex<[KafkaMessage]>([])
        let started = Date()
        let outcome = Mutex<(inTime: Bool, after: Double?)?>(nil)
        // The reader polls (a blocking call) on a thread of its own, so it neither waits for nor
        // holds up the cooperative threads the generator runs on, however busy the machine is.
        let readerThread = Thread {
            let deadline = Date().addingTimeInterval(1_200)
            // Should the condition never come (it would be a bug), the broker still comes back
            // after four minutes (before librdkafka's 300 s message timeout gives up on records)
            // so the run ends and the test fails instead of hanging.
            let fallback = Date().addingTimeInterval(240)
            var restoredAfter: Double?
            var restoredInTime = false
            while received.withLock({ $0.count }) < count && Date() < deadline {
                let batch = consumer.poll(maxMessages: 5_000, timeout: 0.1).copies
                let total = received.withLock { $0 += batch; return $0.count }
                if restoredAfter == nil && (total >= 1_000 || Date() > fallback) {
                    cluster.setBrokerUp(2)
                    restoredAfter = Date().timeIntervalSince(started)
                    restoredInTime = total >= 1_000
                }
            }
            // Anything beyond the count would be a duplicate.
            received.withLock { $0 += consumer.poll(maxMessages: 1_000, timeout: 1).copies }
            outcome.withLock { $0 = (restoredInTime, restoredAfter) }
        }
        readerThread.start()

        let service = GeneratorService(configuration: configuration, logger: Self.quiet)
        try await service.run()
        let finished = Date().timeIntervalSince(started)
        let summary = try #require(service.summary)
        // The reader ends at the count (or its deadline): wait for it.
        while outcome.withLock({ $0 }) == nil { try await Task.sleep(for: .milliseconds(50)) }
        let restore = try #require(outcome.withLock { $0 })
        #expect(restore.inTime, "records did not flow through the other brokers while broker 2 was down")
        consumer.close()

        let timeline = "broker 2 back after \(restore.after.map { String(format: "%.1f", $0) } ?? "never") s, generator done after \(String(format: "%.1f", finished)) s"
        #expect(summary.errors.isEmpty, "\(summary.errors); \(timeline)")
        #expect(summary.outputs[0].delivery?.delivered == UInt64(count))
        #expect(summary.outputs[0].delivery?.failed == [:])
        let messages = received.withLock { $0 }
        #expect(messages.count == count)
        var seqs = Set<Int>()
        var lastByKey: [String: Int] = [:]
        for message in messages {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(message.value)) as? [String: Any])
            let seq = try #require(object["seq"] as? Int)
            #expect(object["generator_id"] as? String == configuration.generatorID)
            #expect(seqs.insert(seq).inserted, "seq \(seq) twice")
            let key = String(decoding: message.key ?? [], as: UTF8.self)
            #expect(key == object["src_ip"] as? String)
            #expect(seq > lastByKey[key, default: -1])
            lastByKey[key] = seq
        }
        #expect(seqs == Set(0..<count))
    }
}
