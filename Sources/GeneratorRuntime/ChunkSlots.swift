import Foundation

/// The slots chunks travel through from the workers to the writer, in chunk order: chunk `n`
/// lives in slot `n % count`, is filled once the writer has released chunk `n - count`, and is
/// taken by the writer once filled. Its lock also guards the state of the ring around it (a
/// ring's workers and the writer wait on the same condition).
///
/// Sendable: `filled`, `writerNext` and `stopped` are read and written only with `condition` (an
/// NSCondition) held, here and in ChunkRing and SimulationRing; `chunks` is a `let` array.
final class ChunkSlots: @unchecked Sendable {
    let condition = NSCondition()
    let chunks: [FlowChunk]
    /// Which chunk each slot holds once it is filled (under the lock).
    var filled: [UInt64?]
    /// The next chunk the writer will take (under the lock).
    var writerNext: UInt64 = 0
    /// Set by ``stop()``: every wait returns (under the lock).
    var stopped = false

    init(count: Int) {
        chunks = (0..<count).map { _ in FlowChunk() }
        filled = Array(repeating: nil, count: count)
    }

    var count: Int { chunks.count }

    @inline(__always)
    func slot(_ index: UInt64) -> Int { Int(index % UInt64(chunks.count)) }

    /// Whether chunk `index`'s slot is free for it (call with the lock held).
    @inline(__always)
    func isFree(_ index: UInt64) -> Bool { index < writerNext + UInt64(chunks.count) }

    /// Marks chunk `index` filled and wakes the writer (call with the lock held).
    func markFilled(_ index: UInt64) {
        filled[slot(index)] = index
        condition.broadcast()
    }

    /// Chunk `index` once it is filled; nil when `seconds` pass first or the slots are stopped.
    func take(_ index: UInt64, waitingAtMost seconds: Double) -> (chunk: FlowChunk?, stopped: Bool) {
        condition.lock()
        defer { condition.unlock() }
        let slot = slot(index)
        let deadline = seconds.isFinite ? Date(timeIntervalSinceNow: seconds) : .distantFuture
        while !stopped && filled[slot] != index {
            if !condition.wait(until: deadline) { break }
        }
        return (filled[slot] == index && !stopped ? chunks[slot] : nil, stopped)
    }

    /// Returns chunk `index`'s slot to the workers.
    func release(_ index: UInt64) {
        condition.lock()
        filled[slot(index)] = nil
        writerNext = index + 1
        condition.broadcast()
        condition.unlock()
    }

    /// Wakes everyone and makes every wait return.
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }
}

/// Where the writer takes its chunks from, in order.
protocol ChunkSource: AnyObject, Sendable {
    var slots: ChunkSlots { get }
    /// Gives chunk `index` back once the writer is done with it.
    func release(_ index: UInt64)
}

extension ChunkSource {
    var slotCount: Int { slots.count }

    /// Waits for chunk `index` (the writer's next); nil once stopped.
    func take(_ index: UInt64) -> FlowChunk? { slots.take(index, waitingAtMost: .infinity).chunk }

    /// Chunk `index` once it is ready, nil when `seconds` pass first or the source is stopped.
    func take(_ index: UInt64, waitingAtMost seconds: Double) -> (chunk: FlowChunk?, stopped: Bool) {
        slots.take(index, waitingAtMost: seconds)
    }

    func release(_ index: UInt64) { slots.release(index) }

    func stop() { slots.stop() }
}
