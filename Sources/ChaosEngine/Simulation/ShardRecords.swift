import TelemetryModel

/// The records one shard reports in one step, in report order once ``sort()`` has run. Storage
/// is kept from step to step; one thread uses it at a time (the pipeline hands it over under its
/// lock).
///
/// Sendable: confined. A SimulationRing simulate job, claimed under ChunkSlots' lock, fills it; merge and
/// encode jobs only read it after `shardsDone` is published under that lock, and its step slot is reused
/// only once released under it, so `events`, `keys`, `order` and `count` never see two threads at once.
public final class ShardRecords: @unchecked Sendable {
    public private(set) var events: UnsafeMutablePointer<FlowEvent>
    /// Per record: milliseconds after the step's start (high 24 bits), then process, session and
    /// record number, so that the order never depends on how steps are cut.
    public private(set) var keys: UnsafeMutablePointer<UInt64>
    /// Record indexes in report order.
    public private(set) var order: UnsafeMutablePointer<UInt32>
    public private(set) var count = 0
    private var capacity: Int

    public init(capacity: Int = 1_024) {
        self.capacity = capacity
        events = .allocate(capacity: capacity)
        events.initialize(repeating: FlowEvent(), count: capacity)
        keys = .allocate(capacity: capacity)
        order = .allocate(capacity: capacity)
    }

    deinit {
        events.deinitialize(count: capacity)
        events.deallocate()
        keys.deallocate()
        order.deallocate()
    }

    public func removeAll() { count = 0 }

    /// Room for one more record, reported at `key`; the caller fills the event.
    @inline(__always)
    public func append(key: UInt64) -> UnsafeMutablePointer<FlowEvent> {
        if count == capacity { grow() }
        keys[count] = key
        count += 1
        return events + (count - 1)
    }

    @inline(never)
    private func grow() {
        let newCapacity = capacity * 2
        let newEvents = UnsafeMutablePointer<FlowEvent>.allocate(capacity: newCapacity)
        newEvents.moveInitialize(from: events, count: capacity)
        (newEvents + capacity).initialize(repeating: FlowEvent(), count: newCapacity - capacity)
        events.deallocate()
        events = newEvents
        let newKeys = UnsafeMutablePointer<UInt64>.allocate(capacity: newCapacity)
        newKeys.update(from: keys, count: capacity)
        keys.deallocate()
        keys = newKeys
        order.deallocate()
        order = .allocate(capacity: newCapacity)
        capacity = newCapacity
    }

    /// The report time of the `i`-th record in order, milliseconds after the step's start.
    @inline(__always)
    public func offset(ofOrdered i: Int) -> Int { Int(keys[Int(order[i])] >> 40) }

    /// The `i`-th record in report order.
    @inline(__always)
    public func ordered(_ i: Int) -> UnsafeMutablePointer<FlowEvent> { events + Int(order[i]) }

    public func sort() {
        for i in 0..<count { order[i] = UInt32(i) }
        let keys = self.keys
        var buffer = UnsafeMutableBufferPointer(start: order, count: count)
        buffer.sort { keys[Int($0)] < keys[Int($1)] }
    }
}
