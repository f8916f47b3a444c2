#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Memory for message payloads that librdkafka reads in place until they are delivered: a fixed
/// number of equal blocks carved out of one reserved region as they are first needed, and reused
/// from then on (most recently freed first). Copying records here by the block, instead of
/// letting librdkafka allocate and copy every payload, saves an allocation, a copy into cold
/// memory and a free per message, and the page faults of a heap that keeps growing into fresh
/// memory. The region asks for transparent huge pages, so a block costs one fault, not hundreds.
///
/// Sendable: `mapping`, `base` and the sizes are `let`, set in `init` (the region is mapped once, unmapped in
/// `deinit`); the carved and free block lists are touched only inside `state`, a Mutex.
public final class KafkaPayloadPool: @unchecked Sendable {
    public let blockBytes: Int
    public let maxBlocks: Int
    private let mapping: UnsafeMutableRawPointer
    private let mappingBytes: Int
    private let base: UnsafeMutableRawPointer
    private struct State {
        var blocks: [KafkaPayloadBlock] = []
        var free: [KafkaPayloadBlock] = []
    }
    private let state = Mutex(State())

    static let hugePage = 2 << 20

    /// Reserves address space for `maxBlocks` blocks of `blockBytes` (rounded up to 2 MiB); memory
    /// is committed only as blocks are used. Returns nil if the address space cannot be reserved.
    public init?(blockBytes: Int, maxBlocks: Int) {
        precondition(blockBytes > 0 && maxBlocks > 0)
        let size = (blockBytes + Self.hugePage - 1) / Self.hugePage * Self.hugePage
        self.blockBytes = size
        self.maxBlocks = maxBlocks
        mappingBytes = size * maxBlocks + Self.hugePage
        let mapped = mmap(nil, mappingBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
        guard let mapped, mapped != MAP_FAILED else { return nil }
        mapping = mapped
        let address = UInt(bitPattern: mapped)
        let aligned = (address + UInt(Self.hugePage) - 1) / UInt(Self.hugePage) * UInt(Self.hugePage)
        base = mapped + Int(aligned - address)
        // Advice only: without transparent huge pages the pool works the same, with small pages.
        _ = madvise(base, size * maxBlocks, Int32(MADV_HUGEPAGE))
    }

    deinit { munmap(mapping, mappingBytes) }

    /// A free block, checked out to the caller; nil when all ``maxBlocks`` are in use.
    public func acquire() -> KafkaPayloadBlock? {
        let block: KafkaPayloadBlock? = state.withLock { state in
            if let block = state.free.popLast() { return block }
            guard state.blocks.count < maxBlocks else { return nil }
            let block = KafkaPayloadBlock(bytes: base + state.blocks.count * blockBytes, capacity: blockBytes, pool: self)
            state.blocks.append(block)
            return block
        }
        block?.checkOut()
        return block
    }

    func recycle(_ block: KafkaPayloadBlock) {
        state.withLock { $0.free.append(block) }
    }

    /// Blocks carved so far, and how many of them are free.
    public var usage: (carved: Int, free: Int) {
        state.withLock { ($0.blocks.count, $0.free.count) }
    }
}
