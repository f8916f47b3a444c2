import Foundation
import KafkaTransport

/// Sealed batches waiting to be stored, per partition in offset order. Upload workers take the
/// oldest batch of a partition that is not already uploading, so a partition stores one object
/// at a time, in order, and commits it before its next object goes: at most one stored but
/// uncommitted object per partition exists at any moment, which a restart overwrites.
///
/// The poll thread submits and may block until partitions are idle (rebalance, shutdown); the
/// workers wait asynchronously.
///
/// Sendable: `pending`, `order`, `busy`, `waiters`, `epochs`, `revoking`, `closed` and `held` are read and
/// written only with `condition` (an NSCondition) held; waiters are resumed after it is released.
public final class UploadQueue: @unchecked Sendable {
    private let condition = NSCondition()
    // Everything below is guarded by `condition`.
    private var pending: [KafkaTopicPartition: [PartitionBatch]] = [:]
    private var order: [KafkaTopicPartition] = []
    private var busy: Set<KafkaTopicPartition> = []
    private var waiters: [CheckedContinuation<PartitionBatch?, Never>] = []
    private var epochs: [KafkaTopicPartition: Int] = [:]
    private var revoking: Set<KafkaTopicPartition> = []
    private var closed = false
    private var held = 0

    public init() {}

    // MARK: - Poll thread

    /// The epoch a new batch of `partition` gets.
    public func epoch(of partition: KafkaTopicPartition) -> Int {
        condition.lock()
        defer { condition.unlock() }
        return epochs[partition, default: 0]
    }

    /// Queues a sealed batch.
    public func submit(_ batch: PartitionBatch) {
        var handoff: (CheckedContinuation<PartitionBatch?, Never>, PartitionBatch)?
        condition.lock()
        held += batch.bytes
        let partition = batch.topicPartition
        if !busy.contains(partition), pending[partition, default: []].isEmpty, !waiters.isEmpty {
            busy.insert(partition)
            handoff = (waiters.removeFirst(), batch)
        } else {
            if pending[partition, default: []].isEmpty { order.append(partition) }
            pending[partition, default: []].append(batch)
        }
        condition.unlock()
        if let (waiter, batch) = handoff { waiter.resume(returning: batch) }
    }

    /// Bytes of batches queued or uploading.
    public var heldBytes: Int {
        condition.lock()
        defer { condition.unlock() }
        return held
    }

    /// True when nothing of `partitions` (nil: of any partition) is queued or uploading.
    public func isIdle(_ partitions: Set<KafkaTopicPartition>? = nil) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        return idle(partitions)
    }

    private func idle(_ partitions: Set<KafkaTopicPartition>?) -> Bool {
        guard let partitions else { return busy.isEmpty && order.isEmpty }
        return busy.isDisjoint(with: partitions) && !order.contains(where: partitions.contains)
    }

    /// Blocks until nothing of `partitions` (nil: all) is queued or uploading, or `timeout`
    /// seconds passed; true when idle.
    public func waitUntilIdle(_ partitions: Set<KafkaTopicPartition>? = nil, timeout: Double) -> Bool {
        wait(timeout: timeout) { idle(partitions) }
    }

    /// Blocks until the batches queued or uploading hold at most `bytes`, or `timeout` seconds
    /// passed; true when they do.
    public func waitUntilHeld(atMost bytes: Int, timeout: Double) -> Bool {
        wait(timeout: timeout) { held <= bytes }
    }

    /// Blocks until `done` (checked under the lock, again after every change) holds or `timeout`
    /// seconds passed; its last answer.
    private func wait(timeout: Double, until done: () -> Bool) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        while !done() {
            if !condition.wait(until: deadline) { return done() }
        }
        return true
    }

    /// The group is taking `partitions` away: a commit refused for one of them now means its
    /// remaining batches are left to the next owner.
    public func markRevoking(_ partitions: Set<KafkaTopicPartition>) {
        condition.lock()
        revoking.formUnion(partitions)
        condition.unlock()
    }

    public func isRevoking(_ partition: KafkaTopicPartition) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        return revoking.contains(partition)
    }

    /// Forgets the queued batches of `partitions` and makes their uploading batches stale (they
    /// will not commit). Returns how many queued batches were dropped.
    @discardableResult
    public func discard(_ partitions: Set<KafkaTopicPartition>) -> Int {
        condition.lock()
        defer { condition.unlock() }
        var dropped = 0
        revoking.subtract(partitions)
        for partition in partitions {
            epochs[partition, default: 0] += 1
            if let batches = pending.removeValue(forKey: partition) {
                dropped += batches.count
                held -= batches.reduce(0) { $0 + $1.bytes }
            }
        }
        order.removeAll(where: partitions.contains)
        condition.broadcast()
        return dropped
    }

    /// Ends the workers' waits: ``next()`` returns nil from now on.
    public func close() {
        condition.lock()
        closed = true
        let woken = waiters
        waiters.removeAll()
        condition.broadcast()
        condition.unlock()
        for waiter in woken { waiter.resume(returning: nil) }
    }

    // MARK: - Workers

    /// The next batch to store (its partition is marked uploading), or nil once closed.
    public func next() async -> PartitionBatch? {
        await withCheckedContinuation { (continuation: CheckedContinuation<PartitionBatch?, Never>) in
            condition.lock()
            if closed {
                condition.unlock()
                continuation.resume(returning: nil)
                return
            }
            if let batch = takeReady() {
                condition.unlock()
                continuation.resume(returning: batch)
                return
            }
            waiters.append(continuation)
            condition.unlock()
        }
    }

    /// The oldest queued batch of the first partition in line that is not uploading.
    private func takeReady() -> PartitionBatch? {
        guard let index = order.firstIndex(where: { !busy.contains($0) }) else { return nil }
        let partition = order[index]
        var batches = pending[partition]!
        let batch = batches.removeFirst()
        if batches.isEmpty {
            pending[partition] = nil
            order.remove(at: index)
        } else {
            pending[partition] = batches
            // Other partitions go first next time.
            order.remove(at: index)
            order.append(partition)
        }
        busy.insert(partition)
        return batch
    }

    /// True while `batch`'s partition has not been discarded since the batch was sealed.
    public func isCurrent(_ batch: PartitionBatch) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        return epochs[batch.topicPartition, default: 0] == batch.epoch
    }

    /// A worker is done with `batch` (stored and committed, or given up).
    public func finished(_ batch: PartitionBatch) {
        var handoff: (CheckedContinuation<PartitionBatch?, Never>, PartitionBatch)?
        condition.lock()
        busy.remove(batch.topicPartition)
        held -= batch.bytes
        if !waiters.isEmpty, let next = takeReady() {
            handoff = (waiters.removeFirst(), next)
        }
        condition.broadcast()
        condition.unlock()
        if let (waiter, next) = handoff { waiter.resume(returning: next) }
    }
}
