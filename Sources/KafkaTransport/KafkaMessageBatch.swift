import CRdKafka

/// Messages from one poll, held by librdkafka until the batch goes away: values and keys are
/// read in place, without copies.
///
/// Sendable: confined. ``KafkaConsumer/poll(maxMessages:timeout:)`` fills it and the delegate reads it on
/// the same poll thread, within `consumed`; `messages`, `errors` and the `lastTopic` cache never meet
/// another thread.
public final class KafkaMessageBatch: @unchecked Sendable {
    private var messages: [UnsafeMutablePointer<rd_kafka_message_t>] = []
    /// Consumer errors met while polling (not records).
    public private(set) var errors: [KafkaError] = []

    init() {}

    deinit { for message in messages { rd_kafka_message_destroy(message) } }

    func append(_ message: UnsafeMutablePointer<rd_kafka_message_t>) { messages.append(message) }
    func append(error: KafkaError) { errors.append(error) }

    public var count: Int { messages.count }
    public var isEmpty: Bool { messages.isEmpty }

    public subscript(index: Int) -> KafkaMessageView { KafkaMessageView(message: messages[index]) }

    /// The topic and partition of message `index`, without building the topic's name again for
    /// every message of the same topic.
    public func topicPartition(at index: Int) -> KafkaTopicPartition {
        let message = messages[index].pointee
        if let (handle, name) = lastTopic, handle == message.rkt {
            return KafkaTopicPartition(topic: name, partition: message.partition)
        }
        let name = String(cString: rd_kafka_topic_name(message.rkt))
        if let handle = message.rkt { lastTopic = (handle, name) }
        return KafkaTopicPartition(topic: name, partition: message.partition)
    }

    private var lastTopic: (OpaquePointer, String)?

    /// The end of the run of messages of one topic and partition that starts at `start`.
    public func runEnd(from start: Int) -> Int {
        let first = messages[start].pointee
        var end = start + 1
        while end < messages.count {
            let message = messages[end].pointee
            guard message.rkt == first.rkt && message.partition == first.partition else { break }
            end += 1
        }
        return end
    }

    /// Copies of every message (for tests and small tools).
    public var copies: [KafkaMessage] { (0..<count).map { self[$0].copy() } }
}

/// One message of a ``KafkaMessageBatch``; valid while the batch is.
public struct KafkaMessageView {
    let message: UnsafeMutablePointer<rd_kafka_message_t>

    public var partition: Int32 { message.pointee.partition }
    public var offset: Int64 { message.pointee.offset }
    public var topic: String { String(cString: rd_kafka_topic_name(message.pointee.rkt)) }
    public var topicPartition: KafkaTopicPartition { KafkaTopicPartition(topic: topic, partition: partition) }
    public var value: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: message.pointee.payload, count: message.pointee.len) }
    public var key: UnsafeRawBufferPointer? {
        guard let key = message.pointee.key else { return nil }
        return UnsafeRawBufferPointer(start: key, count: message.pointee.key_len)
    }

    /// The value of the message's last header `name`, if it has one.
    public func header(_ name: String) -> UnsafeRawBufferPointer? {
        var value: UnsafeRawPointer?
        var size = 0
        guard netchaos_message_header(message, name, &value, &size) == 0 else { return nil }
        return UnsafeRawBufferPointer(start: value, count: size)
    }

    /// The record's slot from the `generator_id` and `seq` headers a producer with slot headers
    /// sets (``KafkaRecordBatch/slotGeneratorID``); nil when the message has no such pair.
    public var slotHeaders: (generatorID: String, seq: Int64)? {
        guard let id = header("generator_id"), !id.isEmpty, let seqBytes = header("seq"),
              let generatorID = String(validating: id, as: UTF8.self),
              let seq = Int64(String(decoding: seqBytes, as: UTF8.self)), seq >= 0 else { return nil }
        return (generatorID, seq)
    }

    /// Milliseconds since the epoch, when the broker or producer set one.
    public var timestamp: Int64? {
        var type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let value = rd_kafka_message_timestamp(message, &type)
        return type == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? nil : value
    }

    public func copy() -> KafkaMessage {
        KafkaMessage(topicPartition: topicPartition, offset: offset, key: key.map { Array($0) }, value: Array(value))
    }
}

/// A message copied out of librdkafka.
public struct KafkaMessage: Sendable, Hashable {
    public var topicPartition: KafkaTopicPartition
    public var offset: Int64
    public var key: [UInt8]?
    public var value: [UInt8]
}
