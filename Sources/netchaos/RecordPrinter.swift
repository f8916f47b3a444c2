import Foundation
import KafkaTransport
import Logging
import Synchronization

/// Writes consumed records to stdout and commits exactly the offsets it wrote.
final class RecordPrinter: KafkaConsumerDelegate {
    private let limit: Int?
    private let deadline: Date?
    private let envelope: Bool
    private let logger: Logger
    private let state = Mutex<(printed: Int, failure: String?)>((0, nil))

    init(limit: Int?, deadline: Date?, envelope: Bool, logger: Logger) {
        self.limit = limit
        self.deadline = deadline
        self.envelope = envelope
        self.logger = logger
    }

    var printed: Int { state.withLock { $0.printed } }
    var failure: String? { state.withLock { $0.failure } }

    var isFinished: Bool {
        let (printed, failure) = state.withLock { ($0.printed, $0.failure) }
        if failure != nil { return true }
        if let limit, printed >= limit { return true }
        if let deadline, Date() >= deadline { return true }
        return false
    }

    func consumed(_ batch: KafkaMessageBatch, consumer: KafkaConsumer) {
        let room = limit.map { $0 - printed } ?? batch.count
        let take = min(room, batch.count)
        guard take > 0 else { return }
        var output: [UInt8] = []
        var next: [KafkaTopicPartition: Int64] = [:]
        for i in 0..<take {
            let message = batch[i]
            if envelope {
                output += Array(Self.envelope(message).utf8)
            } else {
                output += message.value
            }
            output.append(UInt8(ascii: "\n"))
            next[message.topicPartition] = message.offset + 1
        }
        guard output.withUnsafeBytes({ Console.write(fd: 1, bytes: $0) }) else {
            // The reader went away: commit nothing more and stop.
            state.withLock { $0.failure = "cannot write to stdout" }
            return
        }
        state.withLock { $0.printed += take }
        do {
            try consumer.commit(next.map { KafkaTopicPartitionOffset($0.key, offset: $0.value) })
        } catch {
            state.withLock { $0.failure = error.description }
        }
    }

    static func envelope(_ message: KafkaMessageView) -> String {
        let object: [String: Any] = [
            "topic": message.topic, "partition": Int(message.partition), "offset": Int(message.offset),
            "key": message.key.map { String(decoding: $0, as: UTF8.self) } ?? NSNull(),
            "value": String(decoding: message.value, as: UTF8.self),
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    func polled(consumer: KafkaConsumer) {}

    func failed(_ error: KafkaError, consumer: KafkaConsumer) {
        logger.warning("kafka consumer error", metadata: ["kafka.error": .string(error.description)])
    }

    func partitionsAssigned(_ partitions: [KafkaTopicPartition], consumer: KafkaConsumer) {}

    func partitionsRevoked(_ partitions: [KafkaTopicPartition], lost: Bool, consumer: KafkaConsumer) {}
}
