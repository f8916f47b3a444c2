import KafkaTransport
import RecordQueue
import TelemetryModel

/// The in-process ``RecordQueue`` as the sink's source: its partitions are the topic's, its
/// offsets the messages', and a commit records what is stored.
final class QueueSource: SinkSource {
    let queue: RecordQueue

    init(queue: RecordQueue) {
        self.queue = queue
    }

    var partitions: [KafkaTopicPartition] {
        (0..<queue.partitions).map { KafkaTopicPartition(topic: queue.topic, partition: Int32($0)) }
    }

    func pause(_ partitions: [KafkaTopicPartition]) throws(KafkaError) { queue.pause(partitions.map(\.partition)) }

    func resume(_ partitions: [KafkaTopicPartition]) throws(KafkaError) { queue.resume(partitions.map(\.partition)) }

    func lag(of partitions: [KafkaTopicPartition]) -> [KafkaPartitionLag] {
        partitions.map { tp in
            let offsets = queue.offsets(of: tp.partition)
            return KafkaPartitionLag(topicPartition: tp, position: offsets?.position, highWatermark: offsets?.end)
        }
    }

    func committed(_ partitions: [KafkaTopicPartition], timeout: Double) throws(KafkaError) -> [KafkaTopicPartition: Int64?] {
        var result: [KafkaTopicPartition: Int64?] = [:]
        for tp in partitions { result[tp] = queue.offsets(of: tp.partition)?.committed }
        return result
    }

    func queryWatermarks(_ partition: KafkaTopicPartition, timeout: Double) throws(KafkaError) -> (low: Int64, high: Int64) {
        (queue.firstOffset, queue.offsets(of: partition.partition)?.end ?? queue.firstOffset)
    }

    func commit(_ offsets: [KafkaTopicPartitionOffset]) throws(KafkaError) {
        for offset in offsets { queue.commit(partition: offset.topicPartition.partition, offset: offset.offset) }
    }
}

/// Blocks taken from the queue at once, as the sink's messages: each block is one run.
struct QueueMessages: SinkMessages {
    let blocks: [QueueBlock]
    let topic: String
    /// Where each block starts among the messages.
    private let starts: [Int]

    init(blocks: [QueueBlock], topic: String) {
        self.blocks = blocks
        self.topic = topic
        var starts: [Int] = []
        var total = 0
        for block in blocks {
            starts.append(total)
            total += block.count
        }
        self.starts = starts
        count = total
    }

    let count: Int

    private func locate(_ index: Int) -> (block: QueueBlock, at: Int) {
        // Binary search for the block holding message `index`.
        var low = 0
        var high = starts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if starts[mid] <= index { low = mid } else { high = mid - 1 }
        }
        return (blocks[low], index - starts[low])
    }

    func runEnd(from start: Int) -> Int {
        let (block, at) = locate(start)
        return start + block.count - at
    }

    func topicPartition(at index: Int) -> KafkaTopicPartition { KafkaTopicPartition(topic: topic, partition: locate(index).block.partition) }

    func message(at index: Int) -> (offset: Int64, value: UnsafeRawBufferPointer) {
        let (block, at) = locate(index)
        return (block.firstOffset + Int64(at), block.record(at))
    }

    func slot(at index: Int) -> RecordSlot? {
        let (block, at) = locate(index)
        return block.slot(at).map { RecordSlot(generatorID: $0.generatorID, seq: $0.seq) }
    }
}
