/// Picks an index with probability proportional to its weight in constant time (Vose's alias
/// method): one draw chooses a column and, by its threshold, the column or its alias. Built once
/// for tables of any size (thousands of hosts).
public struct AliasTable: Sendable {
    let thresholds: [UInt64]
    let aliases: [UInt32]

    /// Weights must be non-negative with a positive sum.
    public init(weights: [Double]) {
        let n = weights.count
        precondition(n > 0 && n < Int(UInt32.max), "an alias table needs at least one weight")
        let total = weights.reduce(0, +)
        precondition(total > 0 && total.isFinite && weights.allSatisfy { $0 >= 0 }, "weights need a positive sum")
        var scaled = weights.map { $0 * Double(n) / total }
        var thresholds = [UInt64](repeating: .max, count: n)
        var aliases = (0..<n).map { UInt32($0) }
        var small: [Int] = []
        var large: [Int] = []
        for (i, p) in scaled.enumerated() { if p < 1 { small.append(i) } else { large.append(i) } }
        while let s = small.popLast(), let l = large.last {
            thresholds[s] = UInt64(max(0, min(scaled[s], 1)) * 0x1.0p63) << 1
            aliases[s] = UInt32(l)
            scaled[l] -= 1 - scaled[s]
            if scaled[l] < 1 {
                large.removeLast()
                small.append(l)
            }
        }
        // Leftovers (rounding) keep their own column.
        self.thresholds = thresholds
        self.aliases = aliases
    }

    public var count: Int { thresholds.count }

    @inline(__always)
    public func pick(_ rng: inout WyRand) -> Int {
        // The high half picks the column; the low half is the uniform position within it.
        let product = rng.next().multipliedFullWidth(by: UInt64(thresholds.count))
        let column = Int(truncatingIfNeeded: product.high)
        return product.low < thresholds[column] ? column : Int(aliases[column])
    }
}
