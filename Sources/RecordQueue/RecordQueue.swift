import Foundation

/// The bounded, partitioned in-process queue of `netchaos up`, standing in for a Kafka topic
/// when no brokers are configured: a producer puts blocks of records (each block to the next
/// partition in turn, each record an offset), waiting while the queue holds `capacityBytes`; a
/// consumer takes blocks in order per partition and commits offsets once it has stored them.
/// Memory only: what is not committed when the process dies is gone.
///
/// Sendable: `pending`, `heads`, `next`, `taken`, `committedOffsets`, `paused`, `heldBytes`, `closed` and
/// `nextPartition` are read and written only with `condition` (an NSCondition) held; the rest is `let`.
public final class RecordQueue: @unchecked Sendable {
    public let topic: String
    public let partitions: Int
    public let capacityBytes: Int
    /// The first offset of every partition (see ``init(topic:partitions:capacityBytes:firstOffset:)``).
    public let firstOffset: Int64

    private let condition = NSCondition()
    // Guarded by `condition`.
    private var pending: [[QueueBlock]]
    private var heads: [Int]
    private var next: [Int64]
    private var taken: [Int64]
    private var committedOffsets: [Int64?]
    private var paused: Set<Int32> = []
    private var heldBytes = 0
    private var closed = false
    private var nextPartition = 0

    /// - Parameter firstOffset: where every partition's offsets start. `netchaos up` starts them at
    ///   the run's start time in nanoseconds, so runs into one store never reuse an object name.
    public init(topic: String, partitions: Int, capacityBytes: Int, firstOffset: Int64 = 0) {
        precondition(partitions > 0 && capacityBytes > 0)
        self.topic = topic
        self.partitions = partitions
        self.capacityBytes = capacityBytes
        self.firstOffset = firstOffset
        pending = Array(repeating: [], count: partitions)
        heads = Array(repeating: 0, count: partitions)
        next = Array(repeating: firstOffset, count: partitions)
        taken = Array(repeating: firstOffset, count: partitions)
        committedOffsets = Array(repeating: nil, count: partitions)
    }

    // MARK: - Producing

    /// Adds `records` (with their ends) as one block of the next partition, waiting while the
    /// queue is full (a block larger than the whole capacity waits for an empty queue). False
    /// once the queue is closed (the records are not added). `whenFull` runs once when the put
    /// has to wait.
    @discardableResult
    public func put(records: UnsafeRawBufferPointer, ends: [Int], slots: QueueSlots? = nil, whenFull: () -> Void = {}) -> Bool {
        guard !ends.isEmpty else { return true }
        let size = ends.last ?? 0
        condition.lock()
        defer { condition.unlock() }
        if !closed && heldBytes > 0 && heldBytes + size > capacityBytes { whenFull() }
        while !closed && heldBytes > 0 && heldBytes + size > capacityBytes { condition.wait() }
        guard !closed else { return false }
        let partition = nextPartition
        nextPartition = (nextPartition + 1) % partitions
        let block = QueueBlock(partition: Int32(partition), firstOffset: next[partition], records: records, ends: ends, slots: slots)
        next[partition] += Int64(ends.count)
        pending[partition].append(block)
        heldBytes += size
        condition.broadcast()
        return true
    }

    /// No more puts: takers get what is left, then nothing.
    public func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    // MARK: - Consuming

    /// Up to `maxBlocks` blocks from partitions that are not paused, in offset order within each,
    /// waiting up to `timeout` seconds for one. Empty on timeout, or once the queue is closed and
    /// drained (see ``isDrained``).
    public func take(maxBlocks: Int, timeout: Double) -> [QueueBlock] {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        while true {
            var blocks: [QueueBlock] = []
            for partition in 0..<partitions where !paused.contains(Int32(partition)) {
                while blocks.count < maxBlocks, heads[partition] < pending[partition].count {
                    let block = pending[partition][heads[partition]]
                    heads[partition] += 1
                    taken[partition] = block.lastOffset + 1
                    heldBytes -= block.byteCount
                    blocks.append(block)
                }
                if heads[partition] > 64 || heads[partition] == pending[partition].count {
                    pending[partition].removeFirst(heads[partition])
                    heads[partition] = 0
                }
            }
            if !blocks.isEmpty {
                condition.broadcast()
                return blocks
            }
            if closed || !condition.wait(until: deadline) { return [] }
        }
    }

    /// Closed and every block taken.
    public var isDrained: Bool {
        condition.lock()
        defer { condition.unlock() }
        return closed && heldBytes == 0 && (0..<partitions).allSatisfy { heads[$0] == pending[$0].count }
    }

    public func pause(_ partitions: [Int32]) {
        condition.lock()
        paused.formUnion(partitions)
        condition.unlock()
    }

    public func resume(_ partitions: [Int32]) {
        condition.lock()
        paused.subtract(partitions)
        condition.broadcast()
        condition.unlock()
    }

    /// Records that the consumer stored everything of `partition` before `offset`.
    public func commit(partition: Int32, offset: Int64) {
        condition.lock()
        let index = Int(partition)
        if index >= 0 && index < partitions && offset > (committedOffsets[index] ?? .min) { committedOffsets[index] = offset }
        condition.unlock()
    }

    /// Per partition: the next offset to assign (the end), the next to take (the position) and the
    /// committed one (nil before the first commit).
    public struct Offsets: Sendable, Hashable {
        public var end: Int64
        public var position: Int64
        public var committed: Int64?

        public init(end: Int64, position: Int64, committed: Int64?) {
            self.end = end
            self.position = position
            self.committed = committed
        }
    }

    public func offsets(of partition: Int32) -> Offsets? {
        let index = Int(partition)
        guard index >= 0, index < partitions else { return nil }
        condition.lock()
        defer { condition.unlock() }
        return Offsets(end: next[index], position: taken[index], committed: committedOffsets[index])
    }

    /// Bytes waiting to be taken.
    public var queuedBytes: Int {
        condition.lock()
        defer { condition.unlock() }
        return heldBytes
    }
}
