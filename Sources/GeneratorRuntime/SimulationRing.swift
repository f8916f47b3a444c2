import ChaosEngine
import CPrefetch
import Foundation
import TelemetryFormats
import TelemetryModel

/// Runs the simulated network on the worker threads and hands its records to the writer in
/// chunks, in report order. Work comes as jobs: advance one shard by one step (each shard's steps
/// in order; different shards in parallel), merge a step's shards into report order (steps in
/// order; with a Zeek output, also fold the step's records into connections), and copy a chunk of
/// a merged step into a ``FlowChunk`` and encode it (with the Zeek lines of its records). The order
/// never depends on which worker did what, so any worker count writes the same bytes.
///
/// Sendable: `groupNext`, `groupBusy`, `groupRunning`, `oldestStep`, `nextMerge`, `nextSeq`, `nextChunk`,
/// `pendingChunks`, `releasedSeq` and each Step's flags and counters change only under ChunkSlots' lock; a
/// Simulator, and a Step's records, order and Zeek endings, are written only by the one worker whose job
/// (claimed under it) covers them; the Zeek fold only by merge jobs, which run one after another.
final class SimulationRing: ChunkSource, @unchecked Sendable {
    /// One shard's simulator, moved in and out by the worker running its step.
    final class Simulator {
        var simulator: ShardSimulator
        init(_ simulator: ShardSimulator) { self.simulator = simulator }
    }

    /// A step's records on their way from the shards to the chunks.
    final class Step {
        var index: Int64 = -1
        let records: [ShardRecords]
        var shardsDone = 0
        var merged = false
        /// Report order, `total` entries: the shard (position in `records`) in the high bits of
        /// `orderKey` above the record's key within its millisecond, and the record's index.
        var orderKey: [UInt64] = []
        var orderRecord: [UInt32] = []
        var total = 0
        var seqBase: Int64 = 0
        var firstChunk: UInt64 = 0
        var chunkCount = 0
        var chunksCopied = 0
        /// A worker is merging it.
        var merging = false
        /// The Zeek connections that ended with each record, in report order.
        let zeekEndings = ZeekEndings()

        init(shards: Int) { records = (0..<shards).map { _ in ShardRecords() } }
    }

    enum Job {
        case simulate(step: Int64, group: Int)
        /// `seqBase`: the step's first sequence number; `written`: the last one the writer is done with.
        case merge(step: Int64, seqBase: Int64, written: Int64)
        case encode(chunk: UInt64, step: Int64, part: Int)
    }

    let slots: ChunkSlots
    private let simulation: FlowSimulation
    private let shards: [Int]
    private let simulators: [Simulator]
    /// Shards (positions) advanced together by one job: fixed groups, so that a job is worth a
    /// lock and a wake-up whatever the worker count.
    private let groups: [Range<Int>]
    /// Per group: the next step it advances to, and whether a worker has it.
    private var groupNext: [Int64]
    private var groupBusy: [Bool]
    /// Per group: sessions with records still to come, after its last step.
    private var groupRunning: [Int]
    private let steps: [Step]
    /// Oldest step whose chunks are not all copied; next step to merge.
    private var oldestStep: Int64 = 0
    private var nextMerge: Int64 = 0
    private var nextSeq: Int64 = 0
    private var nextChunk: UInt64 = 0
    /// Chunks of merged steps not yet given to a worker: (chunk, step, part).
    private var pendingChunks: [(UInt64, Int64, Int)] = []
    /// The last sequence number of the chunks the writer has given back.
    private var releasedSeq: Int64 = -1
    private let zeek: ZeekLogs?

    init(simulation: FlowSimulation, chunkSlots: Int, steps stepSlots: Int, zeek: ZeekLogs? = nil) {
        self.simulation = simulation
        self.zeek = zeek
        let shards = simulation.settings.shards.shards
        self.shards = shards
        simulators = shards.map { Simulator(ShardSimulator(shard: $0, simulation: simulation)) }
        let size = max(1, (shards.count + Self.groupCount - 1) / Self.groupCount)
        groups = stride(from: 0, to: shards.count, by: size).map { $0..<min($0 + size, shards.count) }
        groupNext = Array(repeating: 0, count: groups.count)
        groupBusy = Array(repeating: false, count: groups.count)
        groupRunning = Array(repeating: 0, count: groups.count)
        steps = (0..<max(stepSlots, 2)).map { _ in Step(shards: shards.count) }
        slots = ChunkSlots(count: chunkSlots)
    }

    /// Shards are simulated in this many groups.
    static let groupCount = 8

    @inline(__always)
    private func slot(_ step: Int64) -> Step { steps[Int(step % Int64(steps.count))] }

    /// Simulated time at the end of the furthest step any shard is in or has done.
    var horizonMs: Int64 {
        slots.condition.lock()
        defer { slots.condition.unlock() }
        return stepEnd(groupNext.max() ?? 0)
    }

    /// Simulated time at the end of `step`.
    @inline(__always)
    private func stepEnd(_ step: Int64) -> Int64 { simulation.settings.startMs + (step + 1) * simulation.tickMs }

    // MARK: - Workers

    /// Runs jobs until stopped. `encode` fills a chunk's encodings.
    func work(encode: (FlowChunk) -> Void) {
        while let job = nextJob() {
            switch job {
            case .simulate(let step, let group):
                let slot = slot(step)
                var running = 0
                for position in groups[group] {
                    let records = slot.records[position]
                    records.removeAll()
                    simulators[position].simulator.step(until: stepEnd(step), into: records)
                    running += simulators[position].simulator.runningSessions
                }
                slots.condition.lock()
                groupRunning[group] = running
                groupBusy[group] = false
                groupNext[group] = step + 1
                slot.shardsDone += groups[group].count
                if slot.shardsDone == shards.count { slots.condition.broadcast() }
                slots.condition.unlock()
            case .merge(let step, let seqBase, let written):
                let slot = slot(step)
                merge(slot)
                if let zeek { fold(slot, into: zeek.fold, seqBase: seqBase, written: written) }
                slots.condition.lock()
                slot.merged = true
                slot.merging = false
                slot.seqBase = nextSeq
                nextSeq += Int64(slot.total)
                slot.firstChunk = nextChunk
                slot.chunkCount = (slot.total + RecordChunk.capacity - 1) / RecordChunk.capacity
                nextChunk += UInt64(slot.chunkCount)
                for part in 0..<slot.chunkCount { pendingChunks.append((slot.firstChunk + UInt64(part), step, part)) }
                nextMerge = step + 1
                releaseCopiedSteps()
                slots.condition.broadcast()
                slots.condition.unlock()
            case .encode(let index, let step, let part):
                let chunk = slots.chunks[slots.slot(index)]
                copy(step: slot(step), part: part, into: chunk, index: index)
                encode(chunk)
                slots.condition.lock()
                slots.markFilled(index)
                slot(step).chunksCopied += 1
                releaseCopiedSteps()
                slots.condition.broadcast()
                slots.condition.unlock()
            }
        }
    }

    /// Gives chunk `index` back (the writer is done with it), noting how far the writer got.
    func release(_ index: UInt64) {
        let chunk = slots.chunks[slots.slot(index)]
        if chunk.count > 0 {
            let last = chunk.events[chunk.count - 1].seq
            slots.condition.lock()
            releasedSeq = max(releasedSeq, last)
            slots.condition.unlock()
        }
        slots.release(index)
    }

    /// Frees the oldest steps once every chunk of theirs is copied (call with the lock held).
    private func releaseCopiedSteps() {
        while oldestStep < nextMerge {
            let slot = slot(oldestStep)
            guard slot.merged && slot.chunksCopied == slot.chunkCount else { return }
            slot.merged = false
            slot.shardsDone = 0
            slot.chunksCopied = 0
            slot.chunkCount = 0
            slot.index = -1
            oldestStep += 1
        }
    }

    private func nextJob() -> Job? {
        slots.condition.lock()
        defer { slots.condition.unlock() }
        while !slots.stopped {
            // Chunks for the writer first, when their slot is free.
            if let first = pendingChunks.first, slots.isFree(first.0) {
                pendingChunks.removeFirst()
                return .encode(chunk: first.0, step: first.1, part: first.2)
            }
            // Then the next merge, once its step is simulated.
            if nextMerge < oldestStep + Int64(steps.count) {
                let slot = slot(nextMerge)
                if !slot.merging && slot.index == nextMerge && slot.shardsDone == shards.count {
                    slot.merging = true
                    return .merge(step: nextMerge, seqBase: nextSeq, written: releasedSeq)
                }
            }
            // Then simulation: the group furthest behind, within the steps that have a slot.
            var best: Int?
            for group in groups.indices where !groupBusy[group] && groupNext[group] < oldestStep + Int64(steps.count) {
                if best == nil || groupNext[group] < groupNext[best!] { best = group }
            }
            if let group = best {
                let step = groupNext[group]
                let slot = slot(step)
                if slot.index != step {
                    slot.index = step
                    slot.shardsDone = 0
                }
                groupBusy[group] = true
                return .simulate(step: step, group: group)
            }
            slots.condition.wait()
        }
        return nil
    }

    // MARK: - Merging and copying

    /// Report order of a step: by report millisecond, then shard, then the shard's own order
    /// (process, session, record). A counting sort by millisecond, then each millisecond's few
    /// records put in order.
    private func merge(_ slot: Step) {
        let total = slot.records.reduce(0) { $0 + $1.count }
        slot.total = total
        guard total > 0 else { return }
        if slot.orderKey.count < total {
            slot.orderKey = Array(repeating: 0, count: total)
            slot.orderRecord = Array(repeating: 0, count: total)
        }
        let span = Int(simulation.tickMs) + 1
        var counts = [Int](repeating: 0, count: span + 1)
        counts.withUnsafeMutableBufferPointer { counts in
            for records in slot.records {
                let keys = records.keys
                for i in 0..<records.count { counts[Int(keys[i] >> 40) + 1] += 1 }
            }
            for i in 1...span { counts[i] += counts[i - 1] }
            slot.orderKey.withUnsafeMutableBufferPointer { order in
                slot.orderRecord.withUnsafeMutableBufferPointer { indexes in
                    let low: UInt64 = (1 << 40) - 1
                    for (position, records) in slot.records.enumerated() {
                        let keys = records.keys
                        for i in 0..<records.count {
                            let key = keys[i]
                            let ms = Int(key >> 40)
                            let at = counts[ms]
                            counts[ms] = at + 1
                            order[at] = UInt64(position) << 40 | key & low
                            indexes[at] = UInt32(i)
                        }
                    }
                    // `counts[ms]` is now the end of millisecond `ms`: sort each by insertion.
                    var start = 0
                    for ms in 0..<span {
                        let end = counts[ms]
                        if end - start > 1 {
                            for i in (start + 1)..<end {
                                let key = order[i], index = indexes[i]
                                var k = i
                                while k > start && order[k - 1] > key {
                                    order[k] = order[k - 1]
                                    indexes[k] = indexes[k - 1]
                                    k -= 1
                                }
                                order[k] = key
                                indexes[k] = index
                            }
                        }
                        start = end
                    }
                }
            }
        }
    }

    /// Folds a merged step's records into Zeek's connections, in report order, loading what later
    /// records need while it works (the records are scattered over the shards' buffers, long out
    /// of cache): the record 24 places ahead, the index entry of the one 16 ahead, the open
    /// connection of the one 8 ahead. First forgets the changes the writer can no longer stop before.
    private func fold(_ slot: Step, into fold: ZeekConnectionFold, seqBase: Int64, written: Int64) {
        fold.forget(through: written)
        let endings = slot.zeekEndings
        endings.removeAll()
        let events = slot.records.map(\.events)
        let farthest = 24, far = 16, near = 8
        events.withUnsafeBufferPointer { events in
            slot.orderKey.withUnsafeBufferPointer { keys in
                slot.orderRecord.withUnsafeBufferPointer { records in
                    @inline(__always) func event(_ position: Int) -> UnsafeMutablePointer<FlowEvent> {
                        events[Int(keys[position] >> 40)] + Int(records[position])
                    }
                    let total = slot.total
                    for position in 0..<total {
                        if position + farthest < total { Self.prefetch(event(position + farthest)) }
                        if position + far < total { fold.prefetch(session: event(position + far).pointee.sessionID) }
                        if position + near < total { fold.prefetchConnection(session: event(position + near).pointee.sessionID) }
                        fold.add(event(position).pointee, seq: seqBase + Int64(position), into: endings)
                    }
                }
            }
        }
    }

    /// Starts loading the three cache lines a record spans.
    @inline(__always)
    private static func prefetch(_ event: UnsafeMutablePointer<FlowEvent>) {
        let start = UnsafeRawPointer(event)
        netchaos_prefetch(start)
        netchaos_prefetch(start + 64)
        netchaos_prefetch(start + MemoryLayout<FlowEvent>.stride - 1)
    }

    private func copy(step slot: Step, part: Int, into chunk: FlowChunk, index: UInt64) {
        let first = part * RecordChunk.capacity
        let last = min(slot.total, first + RecordChunk.capacity)
        chunk.dataset = .flow
        chunk.index = index
        var count = 0
        let events = slot.records.map(\.events)
        let target = chunk.events
        events.withUnsafeBufferPointer { events in
            slot.orderKey.withUnsafeBufferPointer { keys in
                slot.orderRecord.withUnsafeBufferPointer { records in
                    // The records are scattered over the shards' buffers, long out of cache:
                    // start loading a few ahead.
                    let ahead = 6
                    for position in first..<last {
                        if position + ahead < last { Self.prefetch(events[Int(keys[position + ahead] >> 40)] + Int(records[position + ahead])) }
                        let event = events[Int(keys[position] >> 40)] + Int(records[position])
                        if event.pointee.dropped { continue }
                        (target + count).pointee = event.pointee
                        (target + count).pointee.seq = slot.seqBase + Int64(position)
                        count += 1
                    }
                }
            }
        }
        chunk.count = count
        if let zeek { writeZeekLines(zeek, step: slot, into: chunk) }
    }

    /// The Zeek lines of the connections that ended with each record of the chunk.
    private func writeZeekLines(_ zeek: ZeekLogs, step slot: Step, into chunk: FlowChunk) {
        if let tsv = zeek.tsv {
            chunk.zeek.removeAll()
            tsv.write(slot.zeekEndings, events: chunk.events, count: chunk.count, firstSeq: slot.seqBase, into: &chunk.zeek, ends: chunk.zeekEnds)
        }
        if let json = zeek.json {
            chunk.zeekJSON.removeAll()
            json.write(slot.zeekEndings, events: chunk.events, count: chunk.count, firstSeq: slot.seqBase, into: &chunk.zeekJSON, ends: chunk.zeekJSONEnds)
        }
    }

    /// Sessions with records still to come (as of each group's last step).
    var runningSessions: Int {
        slots.condition.lock()
        defer { slots.condition.unlock() }
        return groupRunning.reduce(0, +)
    }
}
