/// A small, fast, seedable random generator (wyrand). One instance per worker or per chunk: it is a
/// value type with no locks and no shared state.
public struct WyRand: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// A generator for one independent stream, derived from a seed, a stream id and an index
    /// (for instance the chunk number), so that chunk `n` is the same whoever generates it.
    public init(seed: UInt64, stream: UInt64, index: UInt64) {
        state = SeedMixer.mix(seed, stream, index)
    }

    @inline(__always)
    public mutating func next() -> UInt64 {
        state &+= 0xa076_1d64_78bd_642f
        let product = state.multipliedFullWidth(by: state ^ 0xe703_7ed1_a0b4_28db)
        return product.high ^ product.low
    }

    /// A uniform integer in `0..<bound` (multiply-shift; bias below 2^-40 for bounds used here).
    @inline(__always)
    public mutating func below(_ bound: UInt64) -> UInt64 {
        next().multipliedFullWidth(by: bound).high
    }

    /// A uniform integer in a closed range.
    @inline(__always)
    public mutating func int(in range: ClosedRange<Int64>) -> Int64 {
        range.lowerBound &+ Int64(bitPattern: below(UInt64(range.upperBound - range.lowerBound) &+ 1))
    }

    /// A uniform double in `[0, 1)` with 53 bits of precision.
    @inline(__always)
    public mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform double in `(0, 1]`, safe for `log`.
    @inline(__always)
    public mutating func unitOpen() -> Double {
        (Double(next() >> 11) + 1) * 0x1.0p-53
    }

    /// True with the probability a ``Probability`` holds.
    @inline(__always)
    public mutating func chance(_ probability: Probability) -> Bool {
        probability.hits(next())
    }
}

/// Mixes numbers into a well-spread 64-bit seed (SplitMix64 finaliser).
public enum SeedMixer {
    @inline(__always)
    public static func finalize(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    @inline(__always)
    public static func mix(_ a: UInt64, _ b: UInt64, _ c: UInt64) -> UInt64 {
        finalize(finalize(finalize(a &+ 0x9e37_79b9_7f4a_7c15) ^ b &+ 0x632b_e59b_d9b4_e019) ^ c)
    }
}
