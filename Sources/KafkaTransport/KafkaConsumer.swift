import CRdKafka
import Foundation
import Logging
import Synchronization

/// A librdkafka consumer in a group. Polling, committing and the rebalance callbacks happen on
/// the thread that calls ``poll(maxMessages:timeout:)``; offsets are committed only by
/// ``commit(_:)``, with exactly the offsets given.
///
/// Sendable: librdkafka lets any thread use the `rd_kafka_t` but to destroy it. Every call that
/// touches it passes through `gate` (``UseGate``): once ``close()`` begins, calls are refused, and
/// the client is destroyed only after every call that entered has left. `poll`, the rebalance
/// callback and ``close()`` (the only writer of `queue` after `init`) run on the one polling thread.
/// KafkaConsumerCloseTests close a consumer while other threads commit, pause and read lag.
public final class KafkaConsumer: @unchecked Sendable {
    public let configuration: KafkaConsumerConfiguration
    private let handle: OpaquePointer
    /// The consumer queue (everything polled comes from it), read in batches.
    private var queue: OpaquePointer?
    private let context: KafkaCallbackContext
    private let logger: Logger
    private weak var listener: (any KafkaRebalanceListener)?
    /// Calls in progress; ``close()`` shuts it and waits for them before freeing the client.
    private let gate = UseGate()

    public init(configuration: KafkaConsumerConfiguration, logger: Logger, listener: (any KafkaRebalanceListener)? = nil) throws(KafkaError) {
        self.configuration = configuration
        self.logger = logger
        self.listener = listener
        context = KafkaCallbackContext(logger: logger)
        let handle = try RdKafkaConfiguration.client(
            RD_KAFKA_CONSUMER, "consumer", properties: configuration.librdkafkaProperties(), context: context
        ) { conf in
            rd_kafka_conf_set_rebalance_cb(conf) { handle, error, partitions, opaque in
                guard let handle, let partitions else { return }
                if let callback = KafkaCallbackContext.from(opaque)?.rebalance.withLock({ $0 }) {
                    callback(handle, error, partitions)
                } else {
                    rd_kafka_assign(handle, nil)
                }
            }
        }
        self.handle = handle
        rd_kafka_poll_set_consumer(handle)
        queue = rd_kafka_queue_get_consumer(handle)
        context.rebalance.withLock {
            $0 = { [weak self] handle, error, list in
                if let self { self.rebalanced(error, list) } else { rd_kafka_assign(handle, nil) }
            }
        }
    }

    deinit { close() }

    /// Waits until the brokers answer and every configured topic exists, at most `timeout`
    /// seconds (default: the connect timeout), so unreachable brokers or a missing topic give an
    /// error instead of a silent wait.
    public func connect(timeout: Double? = nil) throws(KafkaError) {
        try enter("connect")
        defer { gate.leave() }
        for topic in configuration.topics {
            _ = try TopicProbe.waitForTopic(
                handle: handle, topic: topic, brokers: configuration.client.brokers,
                timeout: timeout ?? configuration.client.connectTimeout, context: context, role: "consume from"
            )
        }
    }

    /// Joins the group for the configured topics (the assignment comes with a later poll).
    public func subscribe() throws(KafkaError) {
        try enter("subscribe")
        defer { gate.leave() }
        let list = PartitionList.make(configuration.topics.map { KafkaTopicPartition(topic: $0, partition: RD_KAFKA_PARTITION_UA) })
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let result = rd_kafka_subscribe(handle, list)
        guard result == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(result, operation: "subscribe to \(configuration.topics.joined(separator: ","))")
        }
    }

    // MARK: - Polling

    /// Up to `maxMessages` messages, waiting at most `timeout` seconds for the first. Rebalance
    /// callbacks run inside this call.
    public func poll(maxMessages: Int, timeout: Double) -> KafkaMessageBatch {
        let batch = KafkaMessageBatch()
        guard gate.enter() else { return batch }
        defer { gate.leave() }
        let room = min(maxMessages, 4_096)
        let slots = UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?>.allocate(capacity: room)
        defer { slots.deallocate() }
        // The first message may take up to `timeout`; what is queued behind it is taken in
        // batches (one queue lock per batch instead of per message) without waiting.
        guard let first = rd_kafka_consumer_poll(handle, Int32(max(0, timeout * 1000))) else { return batch }
        take(first, into: batch)
        while batch.count < maxMessages, let queue {
            let got = rd_kafka_consume_batch_queue(queue, 0, slots, min(room, maxMessages - batch.count))
            guard got > 0 else { break }
            for index in 0..<got {
                if let message = slots[index] { take(message, into: batch) }
            }
        }
        return batch
    }

    /// Keeps a record; turns an error into a batch error; frees what it does not keep.
    private func take(_ message: UnsafeMutablePointer<rd_kafka_message_t>, into batch: KafkaMessageBatch) {
        let error = message.pointee.err
        if error == RD_KAFKA_RESP_ERR_NO_ERROR {
            batch.append(message)
            return
        }
        if error != RD_KAFKA_RESP_ERR__PARTITION_EOF {
            let text = rd_kafka_message_errstr(message).map { String(cString: $0) } ?? String(cString: rd_kafka_err2str(error))
            batch.append(error: KafkaError(error, operation: "consume from \(configuration.topics.joined(separator: ","))", message: text))
        }
        rd_kafka_message_destroy(message)
    }

    // MARK: - Offsets

    /// Commits exactly these offsets (each the next offset to read) and waits for the answer.
    /// Safe from any thread; after ``close()`` it fails with `STATE`.
    public func commit(_ offsets: [KafkaTopicPartitionOffset]) throws(KafkaError) {
        guard !offsets.isEmpty else { return }
        try enter("commit offsets")
        defer { gate.leave() }
        let list = PartitionList.make(offsets)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let result = rd_kafka_commit(handle, list, 0)
        guard result == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(result, operation: "commit offsets \(offsets.map(\.description).joined(separator: ", "))")
        }
        for i in 0..<Int(list.pointee.cnt) where list.pointee.elems[i].err != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(list.pointee.elems[i].err, operation: "commit offset \(offsets[i])")
        }
    }

    /// The group's committed offsets for `partitions` (nil where none is committed).
    public func committed(_ partitions: [KafkaTopicPartition], timeout: Double = 10) throws(KafkaError) -> [KafkaTopicPartition: Int64?] {
        try enter("read committed offsets")
        defer { gate.leave() }
        let list = PartitionList.make(partitions)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let result = rd_kafka_committed(handle, list, Int32(timeout * 1000))
        guard result == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(result, operation: "read committed offsets") }
        var offsets: [KafkaTopicPartition: Int64?] = [:]
        for i in 0..<Int(list.pointee.cnt) {
            let element = list.pointee.elems[i]
            let partition = KafkaTopicPartition(topic: String(cString: element.topic), partition: element.partition)
            offsets[partition] = element.offset >= 0 ? element.offset : nil
        }
        return offsets
    }

    // MARK: - Flow control

    /// Stops fetching `partitions` (backpressure) until ``resume(_:)``.
    public func pause(_ partitions: [KafkaTopicPartition]) throws(KafkaError) {
        try flowControl(partitions, pause: true)
    }

    public func resume(_ partitions: [KafkaTopicPartition]) throws(KafkaError) {
        try flowControl(partitions, pause: false)
    }

    private func flowControl(_ partitions: [KafkaTopicPartition], pause: Bool) throws(KafkaError) {
        guard !partitions.isEmpty else { return }
        try enter(pause ? "pause" : "resume")
        defer { gate.leave() }
        let list = PartitionList.make(partitions)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let result = pause ? rd_kafka_pause_partitions(handle, list) : rd_kafka_resume_partitions(handle, list)
        guard result == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(result, operation: "\(pause ? "pause" : "resume") \(partitions.map(\.description).joined(separator: ", "))")
        }
    }

    // MARK: - Assignment and lag

    /// The partitions this member reads now, as librdkafka has them.
    public var assignment: Set<KafkaTopicPartition> {
        guard gate.enter() else { return [] }
        defer { gate.leave() }
        var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        guard rd_kafka_assignment(handle, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list else { return [] }
        defer { rd_kafka_topic_partition_list_destroy(list) }
        return Set(KafkaTopicPartition.array(list))
    }

    /// Lag of every assigned partition: the last fetched high watermark less the position.
    public func lag() -> [KafkaPartitionLag] { lag(of: assignment.sorted()) }

    /// Lag of `partitions` from what librdkafka already knows (no request to the brokers, no
    /// wait on its main thread): the last fetched high watermark less the position.
    public func lag(of partitions: [KafkaTopicPartition]) -> [KafkaPartitionLag] {
        guard !partitions.isEmpty, gate.enter() else { return [] }
        defer { gate.leave() }
        let list = PartitionList.make(partitions)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        _ = rd_kafka_position(handle, list)
        return (0..<Int(list.pointee.cnt)).map { i in
            let element = list.pointee.elems[i]
            var low: Int64 = -1
            var high: Int64 = -1
            let result = rd_kafka_get_watermark_offsets(handle, element.topic, element.partition, &low, &high)
            return KafkaPartitionLag(
                topicPartition: partitions[i], position: element.offset >= 0 ? element.offset : nil,
                highWatermark: result == RD_KAFKA_RESP_ERR_NO_ERROR && high >= 0 ? high : nil
            )
        }
    }

    /// Asks the partition's leader for its low and high watermarks.
    public func queryWatermarks(_ partition: KafkaTopicPartition, timeout: Double = 10) throws(KafkaError) -> (low: Int64, high: Int64) {
        try enter("read the watermarks of \(partition)")
        defer { gate.leave() }
        var low: Int64 = 0
        var high: Int64 = 0
        let result = rd_kafka_query_watermark_offsets(handle, partition.topic, partition.partition, &low, &high, Int32(timeout * 1000))
        guard result == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(result, operation: "read the watermarks of \(partition)") }
        return (low, high)
    }

    // MARK: - Rebalance

    private func rebalanced(_ error: rd_kafka_resp_err_t, _ list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) {
        let partitions = KafkaTopicPartition.array(list)
        let cooperative = String(cString: rd_kafka_rebalance_protocol(handle)) == "COOPERATIVE"
        switch error {
        case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
            if cooperative {
                if let failure = rd_kafka_incremental_assign(handle, list) { report(failure, "assign") }
            } else {
                rd_kafka_assign(handle, list)
            }
            logger.info("kafka partitions assigned", metadata: ["kafka.partitions": .string(partitions.map(\.description).joined(separator: ","))])
            listener?.partitionsAssigned(partitions, consumer: self)
        case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
            let lost = rd_kafka_assignment_lost(handle) != 0
            logger.info("kafka partitions revoked", metadata: [
                "kafka.partitions": .string(partitions.map(\.description).joined(separator: ",")), "kafka.lost": .stringConvertible(lost),
            ])
            listener?.partitionsRevoked(partitions, lost: lost, consumer: self)
            if cooperative {
                if let failure = rd_kafka_incremental_unassign(handle, list) { report(failure, "unassign") }
            } else {
                rd_kafka_assign(handle, nil)
            }
        default:
            logger.error("kafka rebalance failed", metadata: ["kafka.error": .string(KafkaError.name(of: error.rawValue))])
            rd_kafka_assign(handle, nil)
        }
    }

    private func report(_ failure: OpaquePointer, _ operation: String) {
        logger.error("kafka \(operation) failed", metadata: ["kafka.reason": .string(String(cString: rd_kafka_error_string(failure)))])
        rd_kafka_error_destroy(failure)
    }

    // MARK: - Closing

    /// Enters the gate, or says the consumer is closed.
    private func enter(_ operation: String) throws(KafkaError) {
        guard gate.enter() else { throw KafkaError(RD_KAFKA_RESP_ERR__STATE, operation: operation, message: "the consumer is closed") }
    }

    /// Leaves the group (the listener hears of the revoked partitions first) and frees the client,
    /// once the calls of other threads have left; later calls fail with `STATE` (or find nothing).
    /// The listener's calls into the consumer while it leaves are refused too.
    public func close() {
        guard gate.close() else { return }
        let result = rd_kafka_consumer_close(handle)
        if let queue {
            rd_kafka_queue_destroy(queue)
            self.queue = nil
        }
        if result != RD_KAFKA_RESP_ERR_NO_ERROR {
            logger.warning("kafka consumer close", metadata: ["kafka.error": .string(KafkaError.name(of: result.rawValue))])
        }
        context.rebalance.withLock { $0 = nil }
        rd_kafka_destroy(handle)
    }
}
