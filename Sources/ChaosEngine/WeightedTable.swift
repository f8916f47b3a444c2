/// Picks an index with probability proportional to its weight, by one draw and a short scan of
/// cumulative thresholds (tables here are small).
public struct WeightedTable: Sendable {
    private let cumulative: [UInt64]

    /// Weights must be non-negative with a positive sum.
    public init(weights: [Double]) {
        let total = weights.reduce(0, +)
        precondition(total > 0 && weights.allSatisfy { $0 >= 0 }, "weights need a positive sum")
        var running = 0.0
        var thresholds: [UInt64] = []
        thresholds.reserveCapacity(weights.count)
        for (i, weight) in weights.enumerated() {
            running += weight
            let fraction = running / total
            thresholds.append(i == weights.count - 1 || fraction >= 1 ? .max : UInt64(fraction * 0x1.0p64))
        }
        cumulative = thresholds
    }

    public var count: Int { cumulative.count }

    @inline(__always)
    public func pick(_ rng: inout WyRand) -> Int {
        let draw = rng.next()
        return cumulative.withUnsafeBufferPointer { table in
            var i = 0
            while i < table.count - 1 && draw >= table[i] { i += 1 }
            return i
        }
    }
}
