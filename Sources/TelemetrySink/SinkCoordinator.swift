import KafkaTransport
import Logging
import Synchronization
import TelemetryModel

/// The sink's consumer-side half, on the poll thread: validates every message, adds it to its
/// partition's open batch, and seals batches when they reach the record count, the byte size or
/// the flush interval, or when memory runs short (largest first). Sealed batches go to the
/// ``UploadQueue``. On a rebalance it stores and commits the revoked partitions' batches before
/// they go (or drops them when they are already lost); on shutdown it finishes everything.
///
/// Sendable: confined. `open`, `next`, `assigned`, `paused`, `lastEndCheck`, `lastLagUpdate` and `armedEnds`
/// are touched only on the one reader thread (Kafka poll or queue reader); other threads only call
/// ``armStopAtEnd()``, `isFinished` and `unfinishedBatches`, which read atomics and BatchUploader's Mutex.
final class SinkCoordinator: KafkaConsumerDelegate, @unchecked Sendable {
    // Poll-thread state: touched only from the consumer's poll thread (consumed, polled,
    // rebalance callbacks and willClose all run there).
    private var open: [KafkaTopicPartition: PartitionBatch] = [:]
    private var next: [KafkaTopicPartition: Int64] = [:]
    private var assigned: Set<KafkaTopicPartition> = []
    private var paused = false
    private var lastEndCheck = ContinuousClock.now
    private var lastLagUpdate = ContinuousClock.now
    /// Stop-at-end armed while running: each assigned partition's end as the brokers gave it just
    /// after arming (the locally known end may lag behind records produced a moment before).
    private var armedEnds: [KafkaTopicPartition: Int64]?
    private let validator = FlowRecordValidator()
    /// Where the fields of the record being validated lie, kept with it for sinks that write
    /// columns (Parquet); `nil` otherwise.
    private let spans: UnsafeMutableBufferPointer<FlowSpan>?
    private let pool: BufferPool

    private let configuration: SinkConfiguration
    private let queue: UploadQueue
    private let stats: SinkStats
    private let uploader: BatchUploader
    private let logger: Logger
    private let reserve: Int
    private let flushInterval: Duration
    /// Set once every assigned partition is stored and committed up to its end (stop-at-end).
    private let reachedEnd = Atomic<Bool>(false)
    /// Stop-at-end asked for while running (``SinkService/finishAtEnd()``).
    private let stopAtEndArmed = Atomic<Bool>(false)
    /// Batches shutdown could not finish in time.
    private let unfinished = Atomic<Int>(0)

    /// How long reading waits for uploads to free memory before it pauses the partitions (the poll
    /// thread blocks meanwhile; librdkafka's heartbeats go on).
    static let uploadWait = 1.0

    init(configuration: SinkConfiguration, queue: UploadQueue, stats: SinkStats, uploader: BatchUploader, pool: BufferPool, logger: Logger) {
        self.pool = pool
        self.configuration = configuration
        self.queue = queue
        self.stats = stats
        self.uploader = uploader
        self.logger = logger
        reserve = min(configuration.batchBytes, configuration.batchSize * 520, 1 << 20)
        flushInterval = .milliseconds(Int64(configuration.flushInterval * 1000))
        if configuration.format.isColumnar {
            let spans = UnsafeMutableBufferPointer<FlowSpan>.allocate(capacity: FlowRecordField.allCases.count)
            spans.initialize(repeating: FlowSpan())
            self.spans = spans
        } else {
            spans = nil
        }
    }

    deinit { spans?.deallocate() }

    /// From now on, finish once everything is stored and committed up to the end.
    func armStopAtEnd() { stopAtEndArmed.store(true, ordering: .releasing) }

    var isFinished: Bool { uploader.fatal != nil || reachedEnd.load(ordering: .acquiring) }
    var unfinishedBatches: Int { unfinished.load(ordering: .acquiring) }

    // MARK: - Reading

    func consumed(_ batch: KafkaMessageBatch, consumer: KafkaConsumer) { consume(batch, source: consumer) }

    /// Validates and batches what one poll read.
    func consume<Messages: SinkMessages>(_ batch: Messages, source: any SinkSource) {
        var valid = 0
        var invalid: [String: Int] = [:]
        let now = ContinuousClock.now
        // Messages come in runs of one partition: its open batch is taken out of the dictionary
        // for the run and put back after it.
        var start = 0
        while start < batch.count {
            let end = batch.runEnd(from: start)
            let tp = batch.topicPartition(at: start)
            var held = open.removeValue(forKey: tp)
            var index = start
            while index < end {
                var current = held.take() ?? newBatch(tp, firstOffset: batch.message(at: index).offset, openedAt: now)
                var full = false
                while index < end && !full {
                    let (offset, value) = batch.message(at: index)
                    index += 1
                    switch validator.validate(value, spans: spans?.baseAddress) {
                    case .success(let record):
                        current.append(record: value, offset: offset, eventTime: record.timestamp, spans: spans.map { UnsafeBufferPointer($0) })
                        valid += 1
                    case .failure(let error):
                        let letter = DeadLetter(
                            topic: tp.topic, partition: tp.partition, offset: offset, slot: batch.slot(at: index - 1),
                            reason: error.reason.rawValue, field: error.field, detail: error.detail
                        )
                        current.append(deadLetter: letter, record: value)
                        invalid[error.reason.rawValue, default: 0] += 1
                    }
                    full = current.messages >= configuration.batchSize || current.bytes >= configuration.batchBytes
                }
                next[tp] = current.lastOffset + 1
                if full {
                    queue.submit(current)
                } else {
                    held = current
                }
            }
            if let held { open[tp] = held }
            start = end
        }
        stats.read(consumed: batch.count, valid: valid, invalid: invalid)
        enforceMemory(source: source)
    }

    /// A new open batch for `tp`, in a recycled buffer, of the partition's current epoch.
    private func newBatch(_ tp: KafkaTopicPartition, firstOffset: Int64, openedAt: ContinuousClock.Instant) -> PartitionBatch {
        var batch = PartitionBatch(topicPartition: tp, firstOffset: firstOffset, openedAt: openedAt, reserve: reserve, buffer: pool.take())
        batch.epoch = queue.epoch(of: tp)
        return batch
    }

    func polled(consumer: KafkaConsumer) { poll(source: consumer) }

    /// After every poll, even an empty one: flush timers, the memory budget, lag, stop-at-end.
    func poll(source: any SinkSource) {
        let now = ContinuousClock.now
        for (tp, batch) in open where batch.openedAt.duration(to: now) >= flushInterval {
            seal(tp)
        }
        enforceMemory(source: source)
        if lastLagUpdate.duration(to: now) >= .seconds(1) {
            lastLagUpdate = now
            updateLag(source: source)
        }
        if !configuration.stopAtEnd, stopAtEndArmed.load(ordering: .acquiring), armedEnds == nil {
            var ends: [KafkaTopicPartition: Int64] = [:]
            for tp in assigned {
                guard let (_, high) = try? source.queryWatermarks(tp, timeout: 5) else { return }
                ends[tp] = high
            }
            armedEnds = ends
        }
        if configuration.stopAtEnd || armedEnds != nil {
            sealAtEnd(source: source)
            checkEnd(source: source, now: now)
        }
    }

    /// Consumer-group lag of each assigned partition: the end of the partition (the high
    /// watermark of the last fetch) less the committed offset (the read position before the
    /// first commit). Local, no request to the brokers.
    private func updateLag(source: any SinkSource) {
        let partitions = source.lag(of: Array(assigned))
        stats.update { snapshot in
            var lag: [KafkaTopicPartition: Int64] = [:]
            for partition in partitions {
                guard let high = partition.highWatermark else { continue }
                let tp = partition.topicPartition
                guard let base = snapshot.committed[tp] ?? partition.position else { continue }
                lag[tp] = max(0, high - base)
            }
            snapshot.lag = lag
        }
    }

    func failed(_ error: KafkaError, consumer: KafkaConsumer) {
        stats.update { $0.consumerErrors[error.name, default: 0] += 1 }
        logger.warning("kafka consumer error", metadata: ["error": .string(error.description)])
    }

    // MARK: - Batches

    private func seal(_ tp: KafkaTopicPartition) {
        guard let batch = open.removeValue(forKey: tp), !batch.isEmpty else { return }
        queue.submit(batch)
    }

    /// Keeps open and uploading batches within the memory budget: seals the largest open batch
    /// first, and while uploads alone hold the budget waits up to ``uploadWait`` for them to free
    /// half of it, pausing reading only when they do not (resuming at half).
    private func enforceMemory(source: any SinkSource) {
        let budget = configuration.memoryBytes
        var held = queue.heldBytes
        var openBytes = open.values.reduce(0) { $0 + $1.bytes }
        while held + openBytes > budget, let largest = open.max(by: { $0.value.bytes < $1.value.bytes }) {
            openBytes -= largest.value.bytes
            held += largest.value.bytes
            seal(largest.key)
        }
        let partitions = Array(assigned)
        if !paused, held > budget {
            // First wait a moment for the uploads: when they are only behind a burst of batches
            // sealed together, they free memory within it. A pause makes librdkafka drop
            // everything it has read ahead for the partitions, to fetch and decompress it again on
            // resuming; waiting keeps its fetchers reading meanwhile (within its own read-ahead).
            if queue.waitUntilHeld(atMost: budget / 2, timeout: Self.uploadWait) {
                stats.update { $0.uploadWaits += 1 }
                return
            }
            paused = true
            stats.update { $0.pauses += 1 }
            try? source.pause(partitions)
            logger.warning("reading paused: uploads hold the memory budget", metadata: [
                "sink.held_bytes": .stringConvertible(queue.heldBytes), "sink.memory_bytes": .stringConvertible(budget),
            ])
        } else if paused, held <= budget / 2 {
            paused = false
            try? source.resume(partitions)
            logger.info("reading resumed", metadata: ["sink.held_bytes": .stringConvertible(held)])
        }
    }

    /// Stop-at-end: once every assigned partition has been read up to its end (as the last fetch
    /// saw it), waiting for more records cannot fill the open batches: store them now.
    private func sealAtEnd(source: any SinkSource) {
        guard !open.isEmpty, !assigned.isEmpty else { return }
        let lag = source.lag(of: Array(assigned))
        guard lag.count == assigned.count, lag.allSatisfy({ $0.lag == 0 }) else { return }
        for tp in Array(open.keys) { seal(tp) }
    }

    /// Stop-at-end: done when nothing is open or uploading and every assigned partition has been
    /// read up to its end (the high watermark of the latest fetch) and committed there. A
    /// partition this member has not read from is checked against the group's committed offset.
    private func checkEnd(source: any SinkSource, now: ContinuousClock.Instant) {
        guard !assigned.isEmpty, open.isEmpty, queue.isIdle() else { return }
        let lag = source.lag(of: Array(assigned))
        guard lag.count == assigned.count else { return }
        let committed = stats.snapshot.committed
        var unread: [KafkaTopicPartition] = []
        for partition in lag {
            let tp = partition.topicPartition
            guard let high = partition.highWatermark else { return }
            if let end = armedEnds?[tp], (partition.position ?? -1) < end, end > (committed[tp] ?? 0) { return }
            if let position = partition.position {
                guard position >= high, (committed[tp] ?? -1) >= position || next[tp] == nil else { return }
            } else {
                unread.append(tp)
            }
        }
        if !unread.isEmpty {
            // Rare (an empty partition, or one another member finished): ask, at most twice a second.
            guard lastEndCheck.duration(to: now) >= .milliseconds(500) else { return }
            lastEndCheck = now
            guard let offsets = try? source.committed(unread, timeout: 5) else { return }
            for tp in unread {
                guard let (low, high) = try? source.queryWatermarks(tp, timeout: 5) else { return }
                let start = (offsets[tp] ?? nil) ?? low
                guard start >= high else { return }
            }
        }
        logger.info("every assigned partition is stored and committed up to its end", metadata: [
            "kafka.partitions": .stringConvertible(assigned.count),
        ])
        reachedEnd.store(true, ordering: .releasing)
    }

    // MARK: - Rebalance and shutdown

    func partitionsAssigned(_ partitions: [KafkaTopicPartition], consumer: KafkaConsumer) { assign(partitions, source: consumer) }

    /// Partitions this sink now reads (all of them, for the in-process queue).
    func assign(_ partitions: [KafkaTopicPartition], source: any SinkSource) {
        assigned.formUnion(partitions)
        if paused { try? source.pause(partitions) }
    }

    func partitionsRevoked(_ partitions: [KafkaTopicPartition], lost: Bool, consumer: KafkaConsumer) {
        let revoked = Set(partitions)
        assigned.subtract(revoked)
        for tp in revoked { next[tp] = nil }
        if lost {
            let dropped = revoked.compactMap { open.removeValue(forKey: $0) }.count + queue.discard(revoked)
            if dropped > 0 { stats.update { $0.batchesDropped += UInt64(dropped) } }
            return
        }
        queue.markRevoking(revoked)
        for tp in revoked { seal(tp) }
        if !queue.waitUntilIdle(revoked, timeout: configuration.shutdownTimeout) {
            logger.warning("revoked partitions not stored in time; their batches stay uncommitted", metadata: [
                "kafka.partitions": .string(partitions.map(\.description).joined(separator: ",")),
            ])
        }
        let dropped = queue.discard(revoked)
        if dropped > 0 { stats.update { $0.batchesDropped += UInt64(dropped) } }
    }

    func willClose(consumer: KafkaConsumer) { close() }

    /// Reading has ended while this sink still holds its partitions: store and commit what it has.
    func close() {
        guard uploader.fatal == nil else { return }
        for tp in Array(open.keys) { seal(tp) }
        if !queue.waitUntilIdle(timeout: configuration.shutdownTimeout) {
            let left = queue.discard(Set(assigned))
            unfinished.store(max(left, 1), ordering: .releasing)
        }
    }
}
