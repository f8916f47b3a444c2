import KafkaTransport
import TelemetryModel

/// Where the sink reads records and commits offsets: a Kafka consumer (``KafkaConsumer``), or
/// the in-process queue of `netchaos up` (``QueueSource``). Called from the sink's poll thread,
/// and `commit` from its commit thread.
protocol SinkSource: AnyObject, Sendable {
    func pause(_ partitions: [KafkaTopicPartition]) throws(KafkaError)
    func resume(_ partitions: [KafkaTopicPartition]) throws(KafkaError)
    /// Position and end of `partitions`, from what is known locally (no request).
    func lag(of partitions: [KafkaTopicPartition]) -> [KafkaPartitionLag]
    func committed(_ partitions: [KafkaTopicPartition], timeout: Double) throws(KafkaError) -> [KafkaTopicPartition: Int64?]
    func queryWatermarks(_ partition: KafkaTopicPartition, timeout: Double) throws(KafkaError) -> (low: Int64, high: Int64)
    func commit(_ offsets: [KafkaTopicPartitionOffset]) throws(KafkaError)
}

extension KafkaConsumer: SinkSource {}

/// Messages the sink reads at once, in runs of one partition in offset order; their bytes valid
/// while the batch is.
protocol SinkMessages {
    var count: Int { get }
    /// The end of the run of messages of one topic and partition that starts at `start`.
    func runEnd(from start: Int) -> Int
    func topicPartition(at index: Int) -> KafkaTopicPartition
    /// Message `index`: its offset and its bytes.
    func message(at index: Int) -> (offset: Int64, value: UnsafeRawBufferPointer)
    /// The slot message `index` names outside its value (Kafka headers), if any.
    func slot(at index: Int) -> RecordSlot?
}

extension SinkMessages {
    func slot(at index: Int) -> RecordSlot? { nil }
}

extension KafkaMessageBatch: SinkMessages {
    func message(at index: Int) -> (offset: Int64, value: UnsafeRawBufferPointer) {
        let message = self[index]
        return (message.offset, message.value)
    }

    /// The `generator_id` and `seq` headers the generator sets (`kafka.slot_headers`).
    func slot(at index: Int) -> RecordSlot? {
        self[index].slotHeaders.map { RecordSlot(generatorID: $0.generatorID, seq: $0.seq) }
    }
}
