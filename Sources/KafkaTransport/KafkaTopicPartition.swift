import CRdKafka

/// A partition of a topic.
public struct KafkaTopicPartition: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var topic: String
    public var partition: Int32

    public init(topic: String, partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.topic, lhs.partition) < (rhs.topic, rhs.partition)
    }

    public var description: String { "\(topic)[\(partition)]" }

    /// The entries of a C list.
    static func array(_ list: UnsafePointer<rd_kafka_topic_partition_list_t>?) -> [KafkaTopicPartition] {
        guard let list else { return [] }
        return (0..<Int(list.pointee.cnt)).map { i in
            let element = list.pointee.elems[i]
            return KafkaTopicPartition(topic: String(cString: element.topic), partition: element.partition)
        }
    }
}

/// An offset of a partition: for commits, the offset of the next record to read.
public struct KafkaTopicPartitionOffset: Sendable, Hashable, CustomStringConvertible {
    public var topicPartition: KafkaTopicPartition
    public var offset: Int64

    public init(_ topicPartition: KafkaTopicPartition, offset: Int64) {
        self.topicPartition = topicPartition
        self.offset = offset
    }

    public var description: String { "\(topicPartition)@\(offset)" }
}

/// How far behind the end of a partition a consumer is.
public struct KafkaPartitionLag: Sendable, Hashable {
    public var topicPartition: KafkaTopicPartition
    /// The next offset the consumer will read (nil before it has a position).
    public var position: Int64?
    /// The partition's end (nil before the first fetch answered).
    public var highWatermark: Int64?

    public init(topicPartition: KafkaTopicPartition, position: Int64?, highWatermark: Int64?) {
        self.topicPartition = topicPartition
        self.position = position
        self.highWatermark = highWatermark
    }

    /// Records not yet read: high watermark less position (nil when either is unknown).
    public var lag: Int64? {
        guard let position, let highWatermark else { return nil }
        return max(0, highWatermark - position)
    }
}

/// Builds C partition lists and frees them.
enum PartitionList {
    static func make(_ partitions: [KafkaTopicPartition]) -> UnsafeMutablePointer<rd_kafka_topic_partition_list_t> {
        let list = rd_kafka_topic_partition_list_new(Int32(max(partitions.count, 1)))!
        for partition in partitions { rd_kafka_topic_partition_list_add(list, partition.topic, partition.partition) }
        return list
    }

    static func make(_ offsets: [KafkaTopicPartitionOffset]) -> UnsafeMutablePointer<rd_kafka_topic_partition_list_t> {
        let list = rd_kafka_topic_partition_list_new(Int32(max(offsets.count, 1)))!
        for entry in offsets {
            let element = rd_kafka_topic_partition_list_add(list, entry.topicPartition.topic, entry.topicPartition.partition)!
            element.pointee.offset = entry.offset
        }
        return list
    }
}
