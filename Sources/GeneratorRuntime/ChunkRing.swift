import Foundation

/// Hands chunks from the workers to the writer in chunk order (transactions and switch
/// snapshots, which any worker can make from the chunk number alone). Chunk `n` lives in slot
/// `n % slots`; a worker may fill it once the writer has released chunk `n - slots`. Workers
/// synchronise once per chunk (thousands of records), never per record.
///
/// Sendable: `nextToClaim`, like the slot state it checks, is read and written only under ChunkSlots'
/// lock (`slots.condition`); a claimed chunk is the claiming worker's until it publishes it (see FlowChunk).
final class ChunkRing: ChunkSource, @unchecked Sendable {
    let slots: ChunkSlots
    private var nextToClaim: UInt64 = 0

    init(slots count: Int) {
        slots = ChunkSlots(count: count)
    }

    /// Claims the next chunk number and waits until its slot is free; nil once stopped.
    func claim() -> (UInt64, FlowChunk)? {
        slots.condition.lock()
        defer { slots.condition.unlock() }
        let index = nextToClaim
        nextToClaim += 1
        while !slots.stopped && !slots.isFree(index) { slots.condition.wait() }
        return slots.stopped ? nil : (index, slots.chunks[slots.slot(index)])
    }

    /// Marks chunk `index` as filled.
    func publish(_ index: UInt64) {
        slots.condition.lock()
        slots.markFilled(index)
        slots.condition.unlock()
    }
}
