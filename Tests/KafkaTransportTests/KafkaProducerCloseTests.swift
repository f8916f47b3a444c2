import Foundation
import KafkaTransport
import Synchronization
import Testing

@Suite("Closing a producer while another thread produces")
struct KafkaProducerCloseTests {
    @Test("a producer waiting for room in a full queue gives up when closed; close waits for it; later calls report the producer closed")
    func closeWhileWaitingForRoom() throws {
        let kafka = try MockKafka(partitions: 3)
        var client = kafka.client
        client.properties = ["retry.backoff.ms": "20"]
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(client: client, topic: kafka.topic, lingerMilliseconds: 5, queueMessages: 100),
            logger: quiet
        )
        try producer.connect()
        // With every broker down nothing leaves the queue: the 101st record waits for room.
        for broker in Int32(1)...3 { kafka.cluster.setBrokerDown(broker) }
        let value = Array(#"{"seq":1}"#.utf8)
        let outcomes = Mutex<[KafkaProducer.Outcome]>([])
        let finished = DispatchSemaphore(value: 0)
        let thread = Thread {
            for _ in 0..<1_000 {
                let outcome = producer.produce(value: value)
                outcomes.withLock { $0.append(outcome) }
                if outcome != .enqueued { break }
            }
            finished.signal()
        }
        thread.start()
        let deadline = Date().addingTimeInterval(120)
        while producer.report.enqueued < 100 && Date() < deadline { usleep(1_000) }
        try #require(producer.report.enqueued == 100, "the queue filled up")

        producer.close()
        #expect(finished.wait(timeout: .now() + 120) == .success, "the producing thread ended")
        let seen = outcomes.withLock { $0 }
        #expect(seen.count == 101 && seen.prefix(100).allSatisfy { $0 == .enqueued })
        #expect(seen.last == .stopped, "the record waiting for room was given up, not produced into a destroyed client")
        // Closing purged the 100 queued records: counted as failed, none lost from the counts.
        let report = producer.report
        #expect(report.enqueued == 100 && report.delivered == 0 && report.failedTotal == 100 && report.inFlight == 0)
        guard case .rejected(let error) = producer.produce(value: value) else {
            Issue.record("a produce after close was not refused")
            return
        }
        #expect(error.description.contains("closed"))
        #expect(producer.flush() == 0 && producer.payloadBlock() == nil)
        producer.close()  // a second close does nothing
    }
}
