import CRdKafka

/// Records gathered for one ``KafkaProducer/produce(_:shouldStop:)`` call. Values and keys are
/// pointers into the caller's memory, which must stay valid until that call returns (librdkafka
/// copies them). Reusable: `removeAll` keeps the storage.
public struct KafkaRecordBatch: ~Copyable {
    var messages: UnsafeMutablePointer<rd_kafka_message_t>
    /// The same messages grouped by partition (filled by the producer).
    var grouped: UnsafeMutablePointer<rd_kafka_message_t>
    public let capacity: Int
    public private(set) var count = 0
    /// When set, every message carries its record's slot as headers: `generator_id` (this) and
    /// `seq` (given to ``append(value:key:seq:)``), so a reader can attribute a record however
    /// its value is mangled. Produced one message at a time (librdkafka's batch call has no headers).
    public var slotGeneratorID: [UInt8]?

    public init(capacity: Int) {
        self.capacity = capacity
        messages = .allocate(capacity: capacity)
        grouped = .allocate(capacity: capacity)
    }

    deinit {
        messages.deallocate()
        grouped.deallocate()
    }

    public var isFull: Bool { count == capacity }
    public var isEmpty: Bool { count == 0 }

    public mutating func removeAll() { count = 0 }

    /// Adds a record; the batch must not be full. `seq` is the record's slot (its `seq` header
    /// when ``slotGeneratorID`` is set).
    public mutating func append(value: UnsafeRawBufferPointer, key: UnsafeRawBufferPointer?, seq: Int64 = -1) {
        precondition(count < capacity, "KafkaRecordBatch is full")
        var message = rd_kafka_message_t()
        message.payload = UnsafeMutableRawPointer(mutating: value.baseAddress)
        message.len = value.count
        message.key = key.map { UnsafeMutableRawPointer(mutating: $0.baseAddress) } ?? nil
        message.key_len = key?.count ?? 0
        message.partition = RD_KAFKA_PARTITION_UA
        // Not read by librdkafka on produce: carries the slot through the grouping by partition.
        message.offset = seq
        messages[count] = message
        count += 1
    }
}

/// What ``KafkaProducer/produce(_:shouldStop:)`` did with a batch.
public struct KafkaBatchOutcome: Sendable, Equatable {
    /// Records accepted into the local queue.
    public var enqueued = 0
    /// Records librdkafka refused (counted as failed), with the first error.
    public var rejected = 0
    public var firstError: KafkaError?
    /// Records not handed over because `shouldStop` said so while the queue was full.
    public var stopped = 0
    /// The producer hit a fatal error: nothing more can be produced.
    public var fatal: KafkaError?
}
