import BlockingWork
import CoreMetrics
import FailPoints
import Foundation
import KafkaTransport
import Logging
import ObjectStorage
import Observability
import Settings
import Synchronization

/// Stores sealed batches and commits them: valid records as one object, refused ones as a
/// dead-letter object and/or dead-letter topic messages, then `lastOffset + 1`. Failures that
/// may pass are retried with backoff and counted; nothing is committed before everything of the
/// batch is stored. A failure that cannot pass (credentials, a missing bucket) stops the sink.
final class BatchUploader: Sendable {
    private let store: any ObjectStore
    private let namer: ObjectNamer
    private let configuration: SinkConfiguration
    private let queue: UploadQueue
    private let stats: SinkStats
    private let sourceRef = Mutex<(any SinkSource)?>(nil)
    private let deadLetterProducer: KafkaProducer?
    private let executor = BlockingExecutor(label: "netchaos-sink-commit")
    private let retry: RetryPolicy
    private let logger: Logger
    private let failure = Mutex<SinkError?>(nil)
    private let pool: BufferPool
    private let uploadTimer = CoreMetrics.Timer(label: "netchaos_sink_upload_duration_seconds")

    init(
        store: any ObjectStore, configuration: SinkConfiguration, queue: UploadQueue, stats: SinkStats,
        deadLetterProducer: KafkaProducer?, pool: BufferPool, logger: Logger
    ) {
        self.pool = pool
        self.store = store
        self.configuration = configuration
        namer = ObjectNamer(prefix: configuration.prefix, deadLetterPrefix: configuration.deadLetterPrefix, format: configuration.format)
        self.queue = queue
        self.stats = stats
        self.deadLetterProducer = deadLetterProducer
        retry = RetryPolicy(initial: configuration.retryInitial, maximum: configuration.retryMax)
        self.logger = logger
    }

    /// The source whose offsets this uploader commits (set once, before any batch arrives).
    func attach(_ source: any SinkSource) { sourceRef.withLock { $0 = source } }

    /// The error that stopped the sink, if one did.
    var fatal: SinkError? { failure.withLock { $0 } }

    /// One upload worker: stores batches until the queue closes.
    func work() async {
        let encoder = BatchEncoder(format: configuration.format, level: configuration.compressionLevel)
        while var batch = await queue.next() {
            await process(batch, encoder: encoder)
            queue.finished(batch)
            pool.recycle(batch.takeRecords())
        }
    }

    private func process(_ batch: PartitionBatch, encoder: BatchEncoder) async {
        let tp = batch.topicPartition
        if let first = batch.firstRecordOffset {
            let key = namer.recordsKey(topic: tp.topic, partition: tp.partition, firstOffset: first, eventTime: batch.firstRecordTime)
            let body: [UInt8]
            do {
                body = try encoder.encode(batch)
            } catch {
                fail(.encoding("\(error) (topic \(tp.topic), partition \(tp.partition), first offset \(first))"))
                return
            }
            guard await put(key: key, body: body, batch: batch) else { return }
            let stored = SinkStats.StoredObject(key: key, records: batch.recordCount, bytes: body.count, storedAt: Date().timeIntervalSince1970)
            stats.update {
                $0.objects += 1
                $0.recordsStored += UInt64(batch.recordCount)
                $0.bytesStored += UInt64(body.count)
                $0.recordBytes += UInt64(batch.records.count)
                $0.recentObjects.append(stored)
                if $0.recentObjects.count > SinkStats.recentLimit { $0.recentObjects.removeFirst($0.recentObjects.count - SinkStats.recentLimit) }
            }
            FailPoints.reach(.sinkBetweenRecordsAndDeadLetters)
        }
        if let first = batch.firstDeadLetterOffset {
            if configuration.deadLetters.usesStore {
                let key = namer.deadLettersKey(topic: tp.topic, partition: tp.partition, firstOffset: first)
                let body = encoder.encodeDeadLetters(batch.deadLetters)
                guard await put(key: key, body: body, batch: batch, deadLetters: true) else { return }
                stats.update {
                    $0.deadLetterObjects += 1
                    $0.deadLettersStored += UInt64(batch.deadLetterCount)
                    $0.bytesStored += UInt64(body.count)
                }
            }
            if configuration.deadLetters.usesKafka, let producer = deadLetterProducer {
                guard await produceDeadLetters(batch, producer: producer) else { return }
            }
        }
        FailPoints.reach(.sinkAfterUploadBeforeCommit)
        await commit(batch)
    }

    // MARK: - Store

    /// Stores one object, retrying what may pass. False when the batch went stale, the sink is
    /// failing, or the task was cancelled.
    private func put(key: String, body: [UInt8], batch: PartitionBatch, deadLetters: Bool = false) async -> Bool {
        var attempt = 0
        while true {
            guard proceed(batch) else { return false }
            let start = ContinuousClock.now
            do {
                let format = deadLetters ? configuration.format.deadLetterFormat : configuration.format
                _ = try await store.put(key: key, body: body, contentType: format.contentType)
                let elapsed = start.duration(to: .now)
                uploadTimer.record(elapsed)
                stats.update {
                    $0.uploads += 1
                    $0.uploadSeconds += SinkReporter.seconds(elapsed)
                }
                logger.debug("object stored", metadata: ["s3.key": .string(key), "sink.bytes": .stringConvertible(body.count)])
                return true
            } catch {
                guard error.isRetriable else {
                    fail(.store(error))
                    return false
                }
                let delay = retry.delay(afterAttempt: attempt)
                attempt += 1
                stats.update { $0.uploadRetries[error.code.rawValue, default: 0] += 1 }
                logger.warning("upload failed, retrying", metadata: [
                    "s3.key": .string(key), "sink.attempt": .stringConvertible(attempt), "sink.retry_in_s": .string(((delay * 100).rounded() / 100).compact),
                    "error": .string(error.description),
                ])
                guard await sleep(delay) else { return false }
            }
        }
    }

    // MARK: - Dead-letter topic

    private func produceDeadLetters(_ batch: PartitionBatch, producer: KafkaProducer) async -> Bool {
        let lines = batch.deadLetterLines().map { Array($0) }
        var attempt = 0
        while true {
            guard proceed(batch) else { return false }
            let result: Result<Void, KafkaError> = await executor.run {
                let before = producer.report.failedTotal
                for line in lines {
                    if case .rejected(let error) = producer.produce(value: line) { return .failure(error) }
                }
                let outstanding = producer.flush()
                let failed = producer.report.failedTotal - before
                if outstanding > 0 || failed > 0 {
                    return .failure(KafkaError(
                        code: -185, operation: "produce dead letters to \(producer.configuration.topic)",
                        message: "\(failed) failed, \(outstanding) not delivered in time"
                    ))
                }
                return .success(())
            }
            switch result {
            case .success:
                stats.update { $0.deadLettersProduced += UInt64(lines.count) }
                return true
            case .failure(let error):
                let delay = retry.delay(afterAttempt: attempt)
                attempt += 1
                stats.update { $0.uploadRetries["kafka_dlq", default: 0] += 1 }
                logger.warning("dead-letter produce failed, retrying", metadata: [
                    "kafka.topic": .string(producer.configuration.topic), "sink.attempt": .stringConvertible(attempt), "error": .string(error.description),
                ])
                guard await sleep(delay) else { return false }
            }
        }
    }

    // MARK: - Commit

    private func commit(_ batch: PartitionBatch) async {
        let next = KafkaTopicPartitionOffset(batch.topicPartition, offset: batch.lastOffset + 1)
        var attempt = 0
        while proceed(batch), let source = sourceRef.withLock({ $0 }) {
            let result: Result<Void, KafkaError> = await executor.run {
                do throws(KafkaError) {
                    try source.commit([next])
                    return .success(())
                } catch {
                    return .failure(error)
                }
            }
            switch result {
            case .success:
                stats.update {
                    $0.commits += 1
                    $0.committed[batch.topicPartition] = next.offset
                }
                FailPoints.reach(.sinkAfterCommit)
                return
            case .failure(let error):
                stats.update { $0.commitFailures += 1 }
                if error.isGroupChange, queue.isRevoking(batch.topicPartition) {
                    // The partition is going to another member, which reads it again from the last
                    // commit and writes the same object names: nothing is lost or duplicated. Its
                    // later batches are not stored, so this object stays the only uncommitted one.
                    logger.info("commit refused while the partition is revoked; its batches stay uncommitted", metadata: [
                        "kafka.partition": .string(batch.topicPartition.description), "error": .string(error.description),
                    ])
                    let dropped = queue.discard([batch.topicPartition])
                    stats.update { $0.batchesDropped += UInt64(1 + dropped) }
                    return
                }
                // A group change for a partition this member keeps: try again until the commit
                // goes through or the partition is revoked.
                guard error.isRetriable || error.isGroupChange else {
                    fail(.kafka(error))
                    return
                }
                let delay = retry.delay(afterAttempt: attempt)
                attempt += 1
                logger.warning("commit failed, retrying", metadata: ["kafka.offset": .string(next.description), "error": .string(error.description)])
                guard await sleep(delay) else { return }
            }
        }
        stats.update { $0.batchesDropped += 1 }
    }

    // MARK: - Helpers

    private func proceed(_ batch: PartitionBatch) -> Bool {
        queue.isCurrent(batch) && fatal == nil && !Task.isCancelled
    }

    private func sleep(_ seconds: Double) async -> Bool {
        do {
            try await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
            return true
        } catch {
            return false
        }
    }

    private func fail(_ error: SinkError) {
        failure.withLock { if $0 == nil { $0 = error } }
        logger.error("sink stopping", metadata: ["error": .string(error.description)])
    }
}
