import Synchronization

/// A block of a ``KafkaPayloadPool`` that queued messages point into, so that librdkafka need
/// not allocate and copy each payload: the caller copies a run of records into the block at once,
/// produces messages pointing into it, and calls ``seal()``. The block goes back to its pool when
/// the caller has sealed it and every message in it has been delivered or has failed.
///
/// Sendable: `bytes`, `capacity` and `pool` are `let`; the in-flight count `holds` is an Atomic. Its memory
/// is written only by the thread that checked it out, before producing; librdkafka then only reads it, and
/// the last release (acquiring and releasing) hands it back under the pool's Mutex.
public final class KafkaPayloadBlock: @unchecked Sendable {
    /// The block's memory, ``capacity`` bytes.
    public let bytes: UnsafeMutableRawPointer
    public let capacity: Int
    /// Messages in flight plus one for the caller until ``seal()``.
    private let holds = Atomic<Int>(0)
    private unowned let pool: KafkaPayloadPool

    init(bytes: UnsafeMutableRawPointer, capacity: Int, pool: KafkaPayloadPool) {
        self.bytes = bytes
        self.capacity = capacity
        self.pool = pool
    }

    /// Copies `source` to the start of the block (at most ``capacity`` bytes).
    public func fill(from source: UnsafeRawBufferPointer) {
        precondition(source.count <= capacity, "a payload block holds \(capacity) bytes, not \(source.count)")
        if let base = source.baseAddress, source.count > 0 { bytes.copyMemory(from: base, byteCount: source.count) }
    }

    /// The bytes `range` of the block, for a message's value.
    public func slice(_ range: Range<Int>) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: bytes + range.lowerBound, count: range.count)
    }

    /// The caller is done adding messages: the block returns to its pool once they are done.
    public func seal() { release(1) }

    /// Taken from the pool: held by the caller.
    func checkOut() { holds.store(1, ordering: .relaxed) }

    func hold(_ messages: Int) { holds.add(messages, ordering: .relaxed) }

    func release(_ messages: Int) {
        guard messages > 0 else { return }
        if holds.subtract(messages, ordering: .acquiringAndReleasing).newValue == 0 { pool.recycle(self) }
    }

    /// Called from the delivery callback with a message's opaque pointer: one message is done.
    static func messageDone(_ opaque: UnsafeMutableRawPointer) {
        Unmanaged<KafkaPayloadBlock>.fromOpaque(opaque)._withUnsafeGuaranteedRef { $0.release(1) }
    }

    /// The pointer messages carry as their opaque (unretained: the pool keeps the block alive).
    var opaque: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }
}
