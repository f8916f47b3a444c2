import Foundation

/// Hands chunks from the workers to the writer in chunk order. Chunk `n` lives in slot
/// `n % slots`; a worker may fill it once the writer has released chunk `n - slots`. Workers
/// synchronise once per chunk (thousands of events), never per event.
final class ChunkRing: @unchecked Sendable {
    private let condition = NSCondition()
    private let chunks: [FlowChunk]
    private var filled: [UInt64?]
    /// The next chunk the writer will take.
    private var writerNext: UInt64 = 0
    private var nextToClaim: UInt64 = 0
    private var stopped = false

    init(slots: Int) {
        chunks = (0..<slots).map { _ in FlowChunk() }
        filled = Array(repeating: nil, count: slots)
    }

    var slotCount: Int { chunks.count }

    /// Claims the next chunk number and waits until its slot is free; nil once stopped.
    func claim() -> (UInt64, FlowChunk)? {
        condition.lock()
        defer { condition.unlock() }
        let index = nextToClaim
        nextToClaim += 1
        while !stopped && index >= writerNext + UInt64(chunks.count) { condition.wait() }
        return stopped ? nil : (index, chunks[Int(index % UInt64(chunks.count))])
    }

    /// Marks chunk `index` as filled.
    func publish(_ index: UInt64) {
        condition.lock()
        filled[Int(index % UInt64(chunks.count))] = index
        condition.broadcast()
        condition.unlock()
    }

    /// Waits for chunk `index` (the writer's next); nil once stopped.
    func take(_ index: UInt64) -> FlowChunk? {
        condition.lock()
        defer { condition.unlock() }
        let slot = Int(index % UInt64(chunks.count))
        while !stopped && filled[slot] != index { condition.wait() }
        return filled[slot] == index && !stopped ? chunks[slot] : nil
    }

    /// Returns chunk `index`'s slot to the workers.
    func release(_ index: UInt64) {
        condition.lock()
        filled[Int(index % UInt64(chunks.count))] = nil
        writerNext = index + 1
        condition.broadcast()
        condition.unlock()
    }

    /// Wakes everyone and makes every wait return nil.
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }
}
