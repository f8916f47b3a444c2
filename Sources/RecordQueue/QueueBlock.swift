/// Consecutive records of one partition of a ``RecordQueue``: their bytes in one allocation and
/// where each ends. Offsets run from ``firstOffset``, one per record.
///
/// Sendable: immutable after `init`: all stored properties are `let`, and `storage` is written only in
/// `init` (the copy of the records); readers only read it.
public final class QueueBlock: @unchecked Sendable {
    public let partition: Int32
    public let firstOffset: Int64
    /// Record `i` is `bytes[ends[i-1]..<ends[i]]` (from 0 for the first).
    private let storage: UnsafeMutableRawBufferPointer
    private let ends: [Int]
    /// The records' slots, when the producer gave them: what Kafka carries as message headers.
    public let slots: QueueSlots?

    /// Copies `records`, `ends` giving each record's end in it (the records are the exact bytes of a
    /// message: no trailing newline).
    public init(partition: Int32, firstOffset: Int64, records: UnsafeRawBufferPointer, ends: [Int], slots: QueueSlots? = nil) {
        precondition(slots.map { $0.seqs.count == ends.count } ?? true, "one slot a record")
        self.slots = slots
        self.partition = partition
        self.firstOffset = firstOffset
        storage = .allocate(byteCount: max(records.count, 1), alignment: 16)
        if records.count > 0 { storage.copyMemory(from: records) }
        self.ends = ends
    }

    deinit { storage.deallocate() }

    public var count: Int { ends.count }
    public var byteCount: Int { ends.last ?? 0 }
    public var lastOffset: Int64 { firstOffset + Int64(ends.count) - 1 }

    /// Record `index`'s slot, when the block has slots.
    public func slot(_ index: Int) -> (generatorID: String, seq: Int64)? {
        slots.map { ($0.generatorID, $0.seqs[index]) }
    }

    /// The bytes of record `index` (valid while the block is).
    public func record(_ index: Int) -> UnsafeRawBufferPointer {
        let start = index == 0 ? 0 : ends[index - 1]
        return UnsafeRawBufferPointer(rebasing: storage[start..<ends[index]])
    }
}
