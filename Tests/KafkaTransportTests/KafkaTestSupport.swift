import Foundation
import KafkaTransport
import Logging
import Synchronization
import Testing

/// A logger that drops everything (tests assert on values, not on log lines).
let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

/// A mock cluster with one topic, and clients configured for it.
struct MockKafka {
    let cluster: KafkaMockCluster
    let topic: String

    init(brokers: Int = 3, partitions: Int = 6, topic: String = "flows-\(UInt32.random(in: 0 ... .max))") throws {
        cluster = try KafkaMockCluster(brokers: brokers, logger: quiet)
        self.topic = topic
        try cluster.createTopic(topic, partitions: partitions)
    }

    var client: KafkaClientConfiguration { KafkaClientConfiguration(brokers: cluster.brokers, connectTimeout: 10) }

    func producer(compression: KafkaCompression = .zstd, key: KafkaMessageKey = .srcIP, properties: [String: String] = [:]) throws -> KafkaProducer {
        var client = client
        client.properties = properties
        return try KafkaProducer(
            configuration: KafkaProducerConfiguration(client: client, topic: topic, compression: compression, lingerMilliseconds: 5, key: key),
            logger: quiet
        )
    }

    func consumerConfiguration(group: String = "group-\(UInt32.random(in: 0 ... .max))") -> KafkaConsumerConfiguration {
        KafkaConsumerConfiguration(client: client, groupID: group, topics: [topic], offsetReset: .earliest, sessionTimeout: 6)
    }
}

/// Consumes until `count` messages arrived or `timeout` passed.
func consumeAll(_ consumer: KafkaConsumer, count: Int, timeout: Double = 60) -> [KafkaMessage] {
    var messages: [KafkaMessage] = []
    let deadline = Date().addingTimeInterval(timeout)
    while messages.count < count && Date() < deadline {
        messages += consumer.poll(maxMessages: min(5_000, count - messages.count), timeout: 0.2).copies
    }
    return messages
}

/// A rebalance listener that records what it was told, in order.
final class RecordingListener: KafkaRebalanceListener {
    enum Event: Equatable {
        case assigned([KafkaTopicPartition])
        /// The revoked partitions, and the member's assignment while it was told (still holding them).
        case revoked([KafkaTopicPartition], lost: Bool, heldDuringCallback: Set<KafkaTopicPartition>)
    }
    private let log = Mutex<[Event]>([])

    var events: [Event] { log.withLock { $0 } }

    func partitionsAssigned(_ partitions: [KafkaTopicPartition], consumer: KafkaConsumer) {
        log.withLock { $0.append(.assigned(partitions.sorted())) }
    }

    func partitionsRevoked(_ partitions: [KafkaTopicPartition], lost: Bool, consumer: KafkaConsumer) {
        let held = consumer.assignment
        log.withLock { $0.append(.revoked(partitions.sorted(), lost: lost, heldDuringCallback: held)) }
    }
}

/// A JSON-like record with a sequence number and a key, for content checks.
func record(_ seq: Int, key: String) -> [UInt8] {
    Array("{\"seq\":\(seq),\"src_ip\":\"\(key)\",\"pad\":\"\(String(repeating: "x", count: seq % 50))\"}".utf8)
}

func seqOf(_ message: KafkaMessage) -> Int {
    let text = String(decoding: message.value, as: UTF8.self)
    let start = text.range(of: "\"seq\":")!.upperBound
    return Int(text[start...].prefix(while: \.isNumber))!
}

/// Waits until `condition` holds, checking every 20 ms, at most `timeout` seconds.
func waitUntil(timeout: Double = 120, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return true }
        Thread.sleep(forTimeInterval: 0.02)
    }
    return condition()
}

/// Reads the whole topic in a new group and checks that records `0..<count` (as ``record(_:key:)``
/// makes them, keyed by `keys[seq % keys.count]`) each arrived once, unchanged, in order per key.
@discardableResult
func expectExactlyOnceInKeyOrder(_ kafka: MockKafka, count: Int, keys: [String]) throws -> [KafkaMessage] {
    let consumer = try KafkaConsumer(configuration: kafka.consumerConfiguration(), logger: quiet)
    try consumer.subscribe()
    let received = consumeAll(consumer, count: count)
    consumer.close()
    #expect(received.count == count)
    var last: [String: Int] = [:]
    var seen = Set<Int>()
    for message in received {
        let seq = seqOf(message)
        let key = String(decoding: message.key ?? [], as: UTF8.self)
        #expect(key == keys[seq % keys.count])
        #expect(message.value == record(seq, key: key), "record \(seq) changed on the way")
        #expect(seen.insert(seq).inserted, "record \(seq) twice")
        #expect(seq > last[key, default: -1], "key \(key) out of order at \(seq)")
        last[key] = seq
    }
    #expect(seen == Set(0..<count))
    return received
}
