import Foundation
import TelemetryModel

/// Generates the switch metrics sequence chunk by chunk: record `n` is switch `n % switches + 1`
/// in snapshot `n / switches`. Every value is a function of the seed, the switch and the
/// snapshot, never of the previous record, so chunk `k` is the same whoever generates it, in any
/// order; yet values evolve smoothly per switch: a daily cycle, slow noise interpolated between
/// random knots, and a little jitter around a level each switch keeps.
public struct SwitchChunkGenerator: Sendable {
    public static let slotsPerChunk = RecordChunk.capacity

    public let switches: Int
    /// Seconds between snapshots (the Go switch generator's 10).
    public let interval: Double
    /// Unix seconds of snapshot 0.
    public let start: Double
    public let seed: UInt64
    public let chaos: SwitchChaos
    private let profiles: [Profile]

    /// What a switch keeps from snapshot to snapshot.
    struct Profile: Sendable {
        var linkSpeedMbps: Int32
        /// Typical share of the link in use.
        var baseUtilization: Double
        /// Latency of an idle port, milliseconds.
        var baseLatency: Double
        /// Where in the day its traffic peaks, radians.
        var phase: Double
    }

    public init(switches: Int, interval: Double, start: Double, seed: UInt64, chaos: SwitchChaos) {
        precondition(switches > 0 && interval > 0)
        self.switches = switches
        self.interval = interval
        self.start = start
        self.seed = seed
        self.chaos = chaos
        profiles = (0..<switches).map { s in
            var rng = WyRand(seed: seed, stream: 0x5717, index: UInt64(s))
            return Profile(
                linkSpeedMbps: rng.unit() < 0.7 ? 10_000 : 1_000,
                baseUtilization: 0.08 + 0.42 * rng.unit(),
                baseLatency: 0.2 + 2.8 * rng.unit(),
                phase: 2 * Double.pi * rng.unit()
            )
        }
    }

    /// Fills `records` (capacity at least ``slotsPerChunk``) with chunk `chunk`; returns how many
    /// were written (missing switches leave gaps in `seq`).
    public func generate(chunk: UInt64, into records: UnsafeMutablePointer<SwitchSnapshot>) -> Int {
        let first = chunk * UInt64(Self.slotsPerChunk)
        var count = 0
        for i in 0..<UInt64(Self.slotsPerChunk) {
            let slot = first + i
            var rng = WyRand(seed: seed, stream: 0x5718, index: slot)
            if chaos.enabled && rng.chance(chaos.missing) { continue }
            let s = Int(slot % UInt64(switches))
            let tick = slot / UInt64(switches)
            var record: SwitchSnapshot
            if chaos.enabled && tick > 0 && rng.chance(chaos.stale) {
                // The previous snapshot again, timestamp and all.
                record = snapshot(s, tick: tick - 1)
                record.anomalies.insert(.stale)
            } else {
                record = snapshot(s, tick: tick)
            }
            record.seq = Int64(slot)
            records[count] = record
            count += 1
        }
        return count
    }

    /// Switch `s` (0-based) in snapshot `tick`.
    func snapshot(_ s: Int, tick: UInt64) -> SwitchSnapshot {
        let profile = profiles[s]
        var record = SwitchSnapshot()
        record.switchNumber = Int32(s + 1)
        record.timestamp = Int64((start + Double(tick) * interval).rounded(.down))
        record.linkSpeedMbps = profile.linkSpeedMbps
        var rng = WyRand(seed: seed, stream: 0x5719, index: UInt64(s) << 40 | tick)

        let seconds = Double(tick) * interval
        let daily = 1 + 0.35 * sin(2 * Double.pi * seconds / 86_400 + profile.phase)
        let slow = 0.6 * noise(s, tick, every: 6, stream: 0x571a) + 0.4 * noise(s, tick, every: 30, stream: 0x571b)
        let jitter = 1 + 0.06 * (rng.unit() - 0.5)
        var utilization = min(max(profile.baseUtilization * daily * (1 + 0.35 * slow) * jitter, 0.002), 0.97)
        var latencyFactor = utilization > 0.7 ? 1 + 8 * ((utilization - 0.7) / 0.3) * ((utilization - 0.7) / 0.3) : 1
        var drops = utilization > 0.8 ? Int64((utilization - 0.8) * 5_000 * rng.unit()) : 0
        var packetErrors = min(Int64(-log(rng.unitOpen()) * 0.7), 99)
        var crcErrors: Int64 = rng.unit() < 0.02 ? 1 : 0

        if chaos.enabled && episode(s, tick, length: SwitchChaos.congestionLength, stream: 0x571c, probability: chaos.congestionSpike) {
            utilization = 0.95 + 0.049 * rng.unit()
            latencyFactor *= 10 + 40 * rng.unit()
            drops = Int64(20_000 + 180_000 * rng.unit())
            record.anomalies.insert(.congestionSpike)
        }
        if chaos.enabled && episode(s, tick, length: SwitchChaos.errorBurstLength, stream: 0x571d, probability: chaos.errorBurst) {
            crcErrors = Int64(100 + 4_900 * rng.unit())
            packetErrors = Int64(100 + 900 * rng.unit())
            record.anomalies.insert(.errorBurst)
        }
        let latency = min(profile.baseLatency * latencyFactor * (1 + 0.1 * (rng.unit() - 0.5)), 5_000)
        if chaos.enabled && episode(s, tick, length: 1, stream: 0x571e, probability: chaos.linkFlap) {
            // Down: no traffic, nothing to measure.
            record.operUp = false
            utilization = 0
            drops = 0
            packetErrors = 0
            crcErrors = 0
            record.anomalies.insert(.linkFlap)
            record.latencyCenti = 0
        } else {
            record.latencyCenti = Int64((latency * 100).rounded())
        }
        record.utilizationCenti = Int64((utilization * 10_000).rounded())
        record.bandwidthCenti = Int64((utilization * Double(profile.linkSpeedMbps) * 100).rounded())
        record.drops = drops
        record.packetErrors = packetErrors
        record.crcErrors = crcErrors
        return record
    }

    /// Whether switch `s` is in an episode of `length` snapshots at `tick` (episodes start at
    /// multiples of `length`; a share `probability` of windows has one).
    private func episode(_ s: Int, _ tick: UInt64, length: UInt64, stream: UInt64, probability: Probability) -> Bool {
        var rng = WyRand(seed: seed, stream: stream, index: UInt64(s) << 40 | tick / length)
        return rng.chance(probability)
    }

    /// Smooth noise in [-1, 1]: random values at every `every`-th snapshot, cosine-interpolated.
    private func noise(_ s: Int, _ tick: UInt64, every: UInt64, stream: UInt64) -> Double {
        let knot = tick / every
        let fraction = Double(tick % every) / Double(every)
        var a = WyRand(seed: seed, stream: stream, index: UInt64(s) << 40 | knot)
        var b = WyRand(seed: seed, stream: stream, index: UInt64(s) << 40 | (knot + 1))
        let weight = (1 - cos(Double.pi * fraction)) / 2
        return (2 * a.unit() - 1) * (1 - weight) + (2 * b.unit() - 1) * weight
    }
}
