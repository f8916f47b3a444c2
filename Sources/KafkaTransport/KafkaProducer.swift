import BlockingWork
#if canImport(Glibc)
import Glibc
#endif
import CRdKafka
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// A librdkafka producer. `produce` copies the message into librdkafka's queue and waits (never
/// drops) while the queue is full; a poll thread serves delivery reports, which are counted.
/// As a `Service` it runs until graceful shutdown, then flushes with the configured timeout.
///
/// Sendable: every stored property is a `let`; the counters are atomics (`enqueued`, `partitionCount`).
/// librdkafka lets callers produce and the poll thread poll at once. Every call that touches the
/// handles enters `gate` (a ``UseGate``); ``close()`` shuts it, waits for the calls inside (those
/// waiting for room give up) and for the poll thread, and only then destroys the handles.
public final class KafkaProducer: Service, @unchecked Sendable {
    public let configuration: KafkaProducerConfiguration
    private let handle: OpaquePointer
    private let topicHandle: OpaquePointer
    private let context: KafkaCallbackContext
    private let enqueued = Atomic<UInt64>(0)
    private let gate = UseGate()
    private let pollerDone = DispatchSemaphore(value: 0)
    private let logger: Logger
    /// Partitions of the topic as of ``connect(timeout:)`` (for grouping keyed batches).
    private let partitionCount = Atomic<Int32>(0)
    /// Whether batches may be grouped by librdkafka's default partitioner (no custom `partitioner`).
    private let defaultPartitioner: Bool
    /// Memory that payloads produced ``produce(_:from:shouldStop:)`` live in until delivered.
    private let payloads: KafkaPayloadPool?

    /// What `produce` did with one message.
    public enum Outcome: Sendable, Equatable {
        case enqueued
        /// librdkafka refused this message (too large, for instance); counted as failed.
        case rejected(KafkaError)
        /// `shouldStop` returned true while the queue was full.
        case stopped
    }

    public init(configuration: KafkaProducerConfiguration, logger: Logger) throws(KafkaError) {
        self.configuration = configuration
        self.logger = logger
        defaultPartitioner = ["consistent_random", nil].contains(configuration.client.properties["partitioner"])
        Self.keepFreedMemory
        context = KafkaCallbackContext(logger: logger)
        let handle = try RdKafkaConfiguration.client(
            RD_KAFKA_PRODUCER, "producer", properties: configuration.librdkafkaProperties(), context: context
        ) { conf in
            rd_kafka_conf_set_dr_msg_cb(conf) { _, message, opaque in
                // Called once per message: no retain/release of the context.
                guard let message, let opaque else { return }
                Unmanaged<KafkaCallbackContext>.fromOpaque(opaque)._withUnsafeGuaranteedRef { $0.recordDelivery(message.pointee.err) }
                // A payload read in place from a pool block: the block has one message less in flight.
                if let block = message.pointee._private { KafkaPayloadBlock.messageDone(block) }
            }
        }
        self.handle = handle
        topicHandle = rd_kafka_topic_new(handle, configuration.topic, nil)
        // As many bytes of payload as the queue holds, in blocks of one huge page.
        payloads = KafkaPayloadPool(
            blockBytes: KafkaPayloadPool.hugePage, maxBlocks: max(2, configuration.queueBytes / KafkaPayloadPool.hugePage)
        )
        let polled = RdHandle(pointer: handle)
        DedicatedThread.start(named: "netchaos-kpoll") { [polled, gate, pollerDone] in
            while !gate.isClosing { rd_kafka_poll(polled.pointer, 10) }
            pollerDone.signal()
        }
    }

    deinit { close() }

    /// librdkafka allocates every queued message header and each batch's compression state and
    /// frees them once done, across threads; glibc's default gives freed heap back to the kernel
    /// and serves large blocks from fresh `mmap`s, faulted in again a moment later. Keeping freed
    /// heap cut the producer's system time by a third in `Benchmarks/kafka_bench.py`.
    private static let keepFreedMemory: Void = {
        HeapTuning.keepLargeAllocations()
        _ = mallopt(M_TOP_PAD, 16 << 20)
    }()

    // MARK: - Connecting

    /// Waits until the brokers answer and the topic has partitions, at most `timeout` seconds.
    /// Returns the topic's partition count.
    @discardableResult
    public func connect(timeout: Double? = nil) throws(KafkaError) -> Int {
        guard gate.enter() else { throw Self.closedError(configuration.topic) }
        defer { gate.leave() }
        let partitions = try TopicProbe.waitForTopic(
            handle: handle, topic: configuration.topic, brokers: configuration.client.brokers,
            timeout: timeout ?? configuration.client.connectTimeout, context: context, role: "produce to"
        )
        partitionCount.store(Int32(partitions), ordering: .relaxed)
        return partitions
    }

    // MARK: - Producing

    /// Queues one message (copied). While the local queue is full it serves delivery reports
    /// and tries again, until `shouldStop` says to give up.
    public func produce(
        value: UnsafeRawBufferPointer, key: UnsafeRawBufferPointer?, partition: Int32 = RD_KAFKA_PARTITION_UA,
        shouldStop: () -> Bool = { false }
    ) -> Outcome {
        guard gate.enter() else { return .rejected(Self.closedError(configuration.topic)) }
        defer { gate.leave() }
        while true {
            let result = rd_kafka_produce(
                topicHandle, partition, RD_KAFKA_MSG_F_COPY, UnsafeMutableRawPointer(mutating: value.baseAddress), value.count,
                key?.baseAddress, key?.count ?? 0, nil
            )
            if result == 0 {
                enqueued.add(1, ordering: .relaxed)
                return .enqueued
            }
            let error = rd_kafka_last_error()
            if error == RD_KAFKA_RESP_ERR__QUEUE_FULL {
                if shouldStop() || gate.isClosing { return .stopped }
                rd_kafka_poll(handle, 1)
                continue
            }
            context.recordDelivery(error)
            if error == RD_KAFKA_RESP_ERR__FATAL {
                return .rejected(fatalError() ?? KafkaError(error, operation: "produce to '\(configuration.topic)'"))
            }
            return .rejected(KafkaError(error, operation: "produce to '\(configuration.topic)'"))
        }
    }

    /// Queues a batch (copied), in order within each partition. Keyed records are grouped by
    /// partition with librdkafka's own default partitioner (`consistent_random`) and handed over
    /// one partition at a time, which costs librdkafka one queue lock per group instead of one
    /// per record. Waits (never drops) while the local queue cannot take the batch.
    public func produce(_ batch: inout KafkaRecordBatch, shouldStop: () -> Bool = { false }) -> KafkaBatchOutcome {
        produce(&batch, flags: RD_KAFKA_MSG_F_COPY, shouldStop: shouldStop)
    }

    // MARK: - Producing from pool blocks

    /// A block of the producer's payload pool to copy records into, waiting (serving delivery
    /// reports) while every block is in flight; nil if `shouldStop` said to give up, or if the
    /// pool could not be reserved (then produce with ``produce(_:shouldStop:)``).
    public func payloadBlock(shouldStop: () -> Bool = { false }) -> KafkaPayloadBlock? {
        guard let payloads, gate.enter() else { return nil }
        defer { gate.leave() }
        while true {
            if let block = payloads.acquire() { return block }
            if shouldStop() || gate.isClosing { return nil }
            rd_kafka_poll(handle, 1)
        }
    }

    /// The payload pool's blocks carved so far and how many are free (nil without a pool).
    public var payloadPoolUsage: (carved: Int, free: Int)? { payloads?.usage }

    /// Like ``produce(_:shouldStop:)``, for records whose values point into `block`: librdkafka
    /// reads them in place until they are delivered, without a copy or an allocation each. The
    /// caller seals the block when it has produced everything it put there.
    public func produce(_ batch: inout KafkaRecordBatch, from block: KafkaPayloadBlock, shouldStop: () -> Bool = { false }) -> KafkaBatchOutcome {
        let opaque = block.opaque
        for i in 0..<batch.count { batch.messages[i]._private = opaque }
        block.hold(batch.count)
        let outcome = produce(&batch, flags: 0, shouldStop: shouldStop)
        // Messages librdkafka did not take produce no delivery report.
        block.release(batch.count - outcome.enqueued)
        return outcome
    }

    private func produce(_ batch: inout KafkaRecordBatch, flags: Int32, shouldStop: () -> Bool) -> KafkaBatchOutcome {
        var outcome = KafkaBatchOutcome()
        guard !batch.isEmpty else { return outcome }
        guard gate.enter() else {
            outcome.rejected = batch.count
            outcome.firstError = Self.closedError(configuration.topic)
            return outcome
        }
        defer { gate.leave() }
        // Waiting for room gives up when the producer is being closed.
        func giveUp() -> Bool { shouldStop() || gate.isClosing }
        // Hand over as much as the queue has room for, in order: a window of the batch at a time.
        // Waiting for room for the whole batch could wait forever while part of the queue is
        // stuck on a broker that is down.
        var start = 0
        while start < batch.count && outcome.fatal == nil {
            let room = configuration.queueMessages - Int(rd_kafka_outq_len(handle))
            if room <= 0 {
                if giveUp() {
                    outcome.stopped += batch.count - start
                    return outcome
                }
                rd_kafka_poll(handle, 1)
                continue
            }
            let count = min(room, batch.count - start)
            produceWindow(
                batch.messages + start, count, grouped: batch.grouped, flags: flags, slots: batch.slotGeneratorID, into: &outcome, shouldStop: giveUp
            )
            start += count
        }
        return outcome
    }

    /// Queues `count` messages: keyed ones grouped by partition (stable, so each partition keeps
    /// the records' order), the others through the partitioner.
    private func produceWindow(
        _ messages: UnsafeMutablePointer<rd_kafka_message_t>, _ count: Int, grouped: UnsafeMutablePointer<rd_kafka_message_t>,
        flags: Int32, slots: [UInt8]?, into outcome: inout KafkaBatchOutcome, shouldStop: () -> Bool
    ) {
        let partitions = partitionCount.load(ordering: .relaxed)
        let keyed = defaultPartitioner && partitions > 0 && messages[0].key != nil
        guard keyed else {
            enqueue(messages, count, partition: RD_KAFKA_PARTITION_UA, flags: flags, slots: slots, into: &outcome, shouldStop: shouldStop)
            return
        }
        // Counting sort by partition into `grouped`.
        var starts = [Int](repeating: 0, count: Int(partitions) + 1)
        for i in 0..<count {
            let partition = rd_kafka_msg_partitioner_consistent_random(topicHandle, messages[i].key, messages[i].key_len, partitions, nil, nil)
            messages[i].partition = partition
            starts[Int(partition) + 1] += 1
        }
        for p in 0..<Int(partitions) { starts[p + 1] += starts[p] }
        var next = starts
        for i in 0..<count {
            let p = Int(messages[i].partition)
            grouped[next[p]] = messages[i]
            next[p] += 1
        }
        for p in 0..<Int(partitions) where starts[p + 1] > starts[p] {
            enqueue(grouped + starts[p], starts[p + 1] - starts[p], partition: Int32(p), flags: flags, slots: slots, into: &outcome, shouldStop: shouldStop)
            if outcome.fatal != nil { return }
        }
    }

    /// Hands `count` messages to one partition (or to the partitioner). Records librdkafka
    /// refuses are counted as failed; those the full queue could not take are handed over again,
    /// in order, after serving delivery reports.
    private func enqueue(
        _ messages: UnsafeMutablePointer<rd_kafka_message_t>, _ count: Int, partition: Int32, flags: Int32, slots: [UInt8]?,
        into outcome: inout KafkaBatchOutcome, shouldStop: () -> Bool
    ) {
        if let slots {
            enqueueWithSlots(messages, count, partition: partition, flags: flags, generatorID: slots, into: &outcome, shouldStop: shouldStop)
            return
        }
        var pending = count
        while pending > 0 {
            let accepted = Int(rd_kafka_produce_batch(topicHandle, partition, flags, messages, Int32(pending)))
            enqueued.add(UInt64(accepted), ordering: .relaxed)
            outcome.enqueued += accepted
            if accepted == pending { return }
            var kept = 0
            for i in 0..<pending where messages[i].err != RD_KAFKA_RESP_ERR_NO_ERROR {
                let error = messages[i].err
                if error == RD_KAFKA_RESP_ERR__QUEUE_FULL {
                    messages[kept] = messages[i]
                    messages[kept].err = RD_KAFKA_RESP_ERR_NO_ERROR
                    kept += 1
                    continue
                }
                if reject(error, into: &outcome) { return }
            }
            if kept > 0 {
                if shouldStop() {
                    outcome.stopped += kept
                    return
                }
                rd_kafka_poll(handle, 1)
            }
            pending = kept
        }
    }

    /// Like ``enqueue(_:_:partition:flags:slots:into:shouldStop:)``, one message at a time with
    /// the `generator_id` and `seq` headers (each message's `offset` holds its seq).
    private func enqueueWithSlots(
        _ messages: UnsafeMutablePointer<rd_kafka_message_t>, _ count: Int, partition: Int32, flags: Int32, generatorID: [UInt8],
        into outcome: inout KafkaBatchOutcome, shouldStop: () -> Bool
    ) {
        generatorID.withUnsafeBytes { id in
            var i = 0
            while i < count {
                let message = messages[i]
                // A seq of up to 15 digits is a small string, kept inline (no allocation).
                var seq = String(message.offset)
                let error = seq.withUTF8 { digits in
                    netchaos_produce_with_slot(
                        handle, topicHandle, partition, flags, message.payload, message.len, message.key, message.key_len, message._private,
                        id.baseAddress?.assumingMemoryBound(to: CChar.self), id.count,
                        UnsafeRawPointer(digits.baseAddress)?.assumingMemoryBound(to: CChar.self), digits.count
                    )
                }
                if error == RD_KAFKA_RESP_ERR_NO_ERROR {
                    enqueued.add(1, ordering: .relaxed)
                    outcome.enqueued += 1
                    i += 1
                    continue
                }
                if error == RD_KAFKA_RESP_ERR__QUEUE_FULL {
                    if shouldStop() {
                        outcome.stopped += count - i
                        return
                    }
                    rd_kafka_poll(handle, 1)
                    continue
                }
                if reject(error, into: &outcome) { return }
                i += 1
            }
        }
    }

    /// Counts a message librdkafka refused (not for a full queue); true when the refusal is fatal.
    private func reject(_ error: rd_kafka_resp_err_t, into outcome: inout KafkaBatchOutcome) -> Bool {
        context.recordDelivery(error)
        outcome.rejected += 1
        if error == RD_KAFKA_RESP_ERR__FATAL {
            outcome.fatal = fatalError() ?? KafkaError(error, operation: "produce to '\(configuration.topic)'")
            return true
        }
        if outcome.firstError == nil { outcome.firstError = KafkaError(error, operation: "produce to '\(configuration.topic)'") }
        return false
    }

    /// Copies `value` and `key` from Swift arrays (convenient, slower than the buffer form).
    public func produce(value: [UInt8], key: [UInt8]? = nil, partition: Int32 = RD_KAFKA_PARTITION_UA) -> Outcome {
        value.withUnsafeBytes { valueBytes in
            if let key {
                return key.withUnsafeBytes { produce(value: valueBytes, key: $0, partition: partition) }
            }
            return produce(value: valueBytes, key: nil, partition: partition)
        }
    }

    /// The producer's fatal error (idempotence broken beyond repair), if any.
    public func fatalError() -> KafkaError? {
        guard gate.enter() else { return nil }
        defer { gate.leave() }
        var text = [CChar](repeating: 0, count: 512)
        let code = rd_kafka_fatal_error(handle, &text, text.count)
        guard code != RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
        return KafkaError(code, operation: "produce to '\(configuration.topic)'", message: text.cText)
    }

    /// Counts so far.
    public var report: KafkaDeliveryReport {
        var inFlight = 0
        if gate.enter() {
            inFlight = Int(rd_kafka_outq_len(handle))
            gate.leave()
        }
        return KafkaDeliveryReport(
            enqueued: enqueued.load(ordering: .relaxed), delivered: context.delivered.load(ordering: .relaxed),
            failed: context.failures, inFlight: inFlight
        )
    }

    /// The latest client-level error librdkafka reported (brokers down, authentication), if any.
    public var lastClientError: KafkaError? { context.lastError }

    /// Waits up to `timeout` seconds for every queued message to be delivered or to fail; returns
    /// how many are still outstanding.
    @discardableResult
    public func flush(timeout: Double? = nil) -> Int {
        guard gate.enter() else { return 0 }
        defer { gate.leave() }
        let limit = timeout ?? configuration.flushTimeout
        // Short slices: the poll thread takes the delivery reports, so one long rd_kafka_flush
        // would sleep through the moment the queue empties.
        let deadline = Date().addingTimeInterval(limit)
        repeat {
            rd_kafka_flush(handle, 10)
        } while rd_kafka_outq_len(handle) > 0 && Date() < deadline
        // Serve the last delivery reports so the counts are final.
        rd_kafka_poll(handle, 0)
        return Int(rd_kafka_outq_len(handle))
    }

    /// The error for calls after ``close()``.
    static func closedError(_ topic: String) -> KafkaError {
        KafkaError(code: RD_KAFKA_RESP_ERR__STATE.rawValue, operation: "produce to '\(topic)'", message: "the producer is closed")
    }

    /// Stops the poll thread and destroys the client (messages still queued are purged and
    /// counted as failed: flush first). Later calls do nothing or report the producer closed;
    /// ``report`` keeps the final counts. Safe while other threads produce: it waits for their
    /// calls to leave (a call waiting for room in the queue gives up, its records counted as
    /// stopped), and calls after it report the producer closed.
    public func close() {
        guard gate.close() else { return }
        pollerDone.wait()
        if rd_kafka_outq_len(handle) > 0 {
            // Purged messages come back as failed delivery reports (PURGE_QUEUE, PURGE_INFLIGHT): count them.
            rd_kafka_purge(handle, Int32(RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT))
            rd_kafka_poll(handle, 0)
        }
        rd_kafka_topic_destroy(topicHandle)
        rd_kafka_destroy(handle)
    }

    // MARK: - Service

    /// Runs until graceful shutdown, then flushes (at most the flush timeout) and closes.
    public func run() async throws {
        try? await gracefulShutdown()
        let outstanding = flush()
        if outstanding > 0 {
            logger.error("kafka messages not delivered at shutdown", metadata: ["kafka.outstanding": .stringConvertible(outstanding)])
        }
        close()
    }
}
