import Synchronization

/// Record buffers handed back after their batch is stored and reused for new batches, so a busy
/// sink does not keep asking the system for fresh, zeroed memory (page faults took a seventh of
/// its time before). Keeps at most `limitBytes` of capacity; the rest is freed.
final class BufferPool: Sendable {
    private struct State {
        var buffers: [[UInt8]] = []
        var bytes = 0
    }

    private let state = Mutex(State())
    private let limitBytes: Int

    init(limitBytes: Int) {
        self.limitBytes = limitBytes
    }

    /// An empty buffer, with capacity when a recycled one is at hand.
    func take() -> [UInt8] {
        state.withLock { state in
            guard let buffer = state.buffers.popLast() else { return [] }
            state.bytes -= buffer.capacity
            return buffer
        }
    }

    /// Keeps `buffer` for reuse (emptied, capacity kept) while the pool has room for it.
    func recycle(_ buffer: consuming [UInt8]) {
        var buffer = buffer
        buffer.removeAll(keepingCapacity: true)
        let kept = buffer
        state.withLock { state in
            guard state.bytes + kept.capacity <= limitBytes else { return }
            state.bytes += kept.capacity
            state.buffers.append(kept)
        }
    }
}
