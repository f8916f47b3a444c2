import TelemetryModel

/// Generates the flow sequence chunk by chunk. Chunk `n` covers slots `n*slotsPerChunk ..<
/// (n+1)*slotsPerChunk` and depends only on the seed and `n`, so any worker may generate any chunk
/// and the output is the same for every worker count.
public struct FlowChunkGenerator: Sendable {
    /// Fixed, so that output bytes do not depend on any tuning knob.
    public static let slotsPerChunk = 4_096

    public let factory: FlowEventFactory
    public let clock: EventClock
    public let seed: UInt64
    public let scans: PortScanSchedule?

    public init(factory: FlowEventFactory, clock: EventClock, seed: UInt64) {
        self.factory = factory
        self.clock = clock
        self.seed = seed
        let chaos = factory.chaos
        scans = chaos.enabled
            ? PortScanSchedule(configuration: chaos.portScan, clock: clock, model: factory.model, seed: seed) : nil
    }

    public var vocabulary: FlowVocabulary { factory.vocabulary }

    /// Fills `events` (capacity at least ``slotsPerChunk``) with chunk `chunk` and returns how many
    /// events it holds (dropped events leave gaps in `seq`).
    public func generate(chunk: UInt64, into events: UnsafeMutablePointer<FlowEvent>) -> Int {
        var rng = WyRand(seed: seed, stream: 0xf10e, index: chunk)
        let firstSlot = chunk * UInt64(Self.slotsPerChunk)
        let chaosOn = factory.chaos.enabled
        let drop = factory.chaos.drop
        var burst = scans?.burst(forSlot: firstSlot)
        var count = 0
        for slot in firstSlot..<(firstSlot + UInt64(Self.slotsPerChunk)) {
            if chaosOn && rng.chance(drop) { continue }
            let target = events + count
            var probe: Int? = nil
            if let schedule = scans, var current = burst {
                if slot >= current.firstSlot + schedule.length {
                    let next = schedule.burst(forSlot: slot)
                    if next.index != current.index {
                        current = next
                        burst = next
                    }
                }
                probe = schedule.probe(current, slot: slot)
                if let probe { factory.makeProbe(&target.pointee, burst: current, probe: probe, &rng) }
            }
            if probe == nil {
                factory.makeNormal(&target.pointee, &rng)
                if chaosOn { factory.applyChaos(&target.pointee, &rng) }
            }
            if chaosOn { factory.applyMalformation(&target.pointee, &rng) }
            target.pointee.timestamp = clock.timestamp(ofSlot: slot)
            target.pointee.seq = Int64(slot)
            count += 1
        }
        return count
    }
}
