import TelemetryModel

/// Generates the transactions sequence chunk by chunk, chunk by chunk: chunk `n`
/// depends only on the seed and `n`, so the output is the same for any worker count.
///
/// A bet: an agent (by weight) whose players bet in the agent's currency, a vendor (by weight) and
/// one of its game categories, a stake drawn in US dollars (log-normal, median 5) and converted
/// with the currency's rate, a win with the category's win chance whose size keeps the category's
/// return to player, capped at its maximum multiplier.
public struct TransactionChunkGenerator: Sendable {
    public static let slotsPerChunk = RecordChunk.capacity

    public let reference: TransactionReference
    public let clock: EventClock
    public let seed: UInt64
    public let chaos: TransactionChaos
    private let agents: WeightedTable
    private let vendors: WeightedTable
    private let currencyOfAgent: [UInt8]
    private let rateMicros: [Int64]

    public init(reference: TransactionReference, clock: EventClock, seed: UInt64, chaos: TransactionChaos) {
        self.reference = reference
        self.clock = clock
        self.seed = seed
        self.chaos = chaos
        agents = WeightedTable(weights: reference.agents.map(\.weight))
        vendors = WeightedTable(weights: reference.vendors.map(\.weight))
        currencyOfAgent = reference.agents.map { agent in
            UInt8(reference.currencies.firstIndex { $0.code == agent.currency } ?? 0)
        }
        rateMicros = reference.currencies.map { Int64(($0.usdRate * 1_000_000).rounded()) }
    }

    /// Fills `records` (capacity at least ``slotsPerChunk``) with chunk `chunk`; returns the count.
    public func generate(chunk: UInt64, into records: UnsafeMutablePointer<Transaction>) -> Int {
        var rng = WyRand(seed: seed, stream: 0x7a11, index: chunk)
        let firstSlot = chunk * UInt64(Self.slotsPerChunk)
        for i in 0..<Self.slotsPerChunk {
            let slot = firstSlot + UInt64(i)
            var t = Transaction()
            t.seq = Int64(slot)
            t.settledAt = Int64((clock.start + clock.offset(ofSlot: slot)) * 1000)
            t.betNumber = Int64(slot)
            if chaos.enabled && i > 0 && rng.chance(chaos.duplicateSettlement) {
                // The same bet settled again a little later: an earlier record of this chunk.
                let original = records[Int(rng.below(UInt64(min(i, 256)))) + i - min(i, 256)]
                t = original
                t.seq = Int64(slot)
                t.settledAt = max(original.settledAt, Int64((clock.start + clock.offset(ofSlot: slot)) * 1000))
                t.anomalies = original.anomalies.union(.duplicateSettlement)
                records[i] = t
                continue
            }
            makeBet(&t, &rng)
            if chaos.enabled && rng.chance(chaos.impossibleWinRatio) {
                let category = reference.gameCategories[Int(t.gameCategory)]
                let multiplier = category.maxMultiplier * (10 + 90 * rng.unit())
                t.winMicros = Int64((Double(t.betMicros) * multiplier).rounded())
                t.anomalies.insert(.impossibleWinRatio)
            }
            if chaos.enabled && rng.chance(chaos.currencyMismatch) {
                let others = UInt64(reference.currencies.count - 1)
                let pick = UInt8(rng.below(others))
                t.currencyCode = pick >= t.currency ? pick + 1 : pick
                t.anomalies.insert(.currencyMismatch)
            }
            t.betUSDMicros = Self.usd(t.betMicros, rateMicros: t.rateMicros)
            t.winLossUSDMicros = Self.usd(t.winLossMicros, rateMicros: t.rateMicros)
            records[i] = t
        }
        return Self.slotsPerChunk
    }

    @inline(__always)
    private func makeBet(_ t: inout Transaction, _ rng: inout WyRand) {
        let agentIndex = agents.pick(&rng)
        t.agent = UInt16(agentIndex)
        t.currency = currencyOfAgent[agentIndex]
        t.currencyCode = t.currency
        t.rateMicros = rateMicros[Int(t.currency)]
        let vendorIndex = vendors.pick(&rng)
        let vendor = reference.vendors[vendorIndex]
        t.vendor = UInt8(vendorIndex)
        t.vendorLineID = Int32(vendor.id * 100 + 1 + Int(rng.below(UInt64(vendor.lines))))
        let categoryID = vendor.categories[Int(rng.below(UInt64(vendor.categories.count)))]
        let categoryIndex = reference.gameCategories.firstIndex { $0.id == categoryID } ?? 0
        t.gameCategory = UInt8(categoryIndex)
        let category = reference.gameCategories[categoryIndex]

        let stakeUSD = Distributions.logNormal(&rng, median: 5, sigma: 1.3, range: 0.1...50_000)
        let rate = reference.currencies[Int(t.currency)].usdRate
        t.betMicros = max(1, Int64((stakeUSD / rate * 1_000_000).rounded()))
        if rng.unit() < category.winChance {
            // Mean multiplier of a win keeps the return to player: rtp / win chance.
            let mean = category.rtp / category.winChance
            let multiplier = min(category.maxMultiplier, Distributions.logNormal(&rng, median: mean * 0.6, sigma: 0.9, range: 1.01...category.maxMultiplier))
            t.winMicros = Int64((Double(t.betMicros) * multiplier).rounded())
        } else {
            t.winMicros = 0
        }
    }

    /// Micro-units of a currency in US-dollar micro-units.
    @inline(__always)
    static func usd(_ micros: Int64, rateMicros: Int64) -> Int64 {
        Int64((Double(micros) * Double(rateMicros) / 1_000_000).rounded())
    }
}
