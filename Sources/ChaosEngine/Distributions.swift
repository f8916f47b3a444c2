import Foundation

/// Heavy-tailed and bounded distributions used to make counters look like a real network.
public enum Distributions {
    /// A log-normal draw with the given median and shape (sigma of the underlying normal),
    /// clamped to `range`. Uses one Box-Muller half.
    @inline(__always)
    public static func logNormal(_ rng: inout WyRand, median: Double, sigma: Double, range: ClosedRange<Double>) -> Double {
        let u1 = rng.unitOpen()
        let u2 = rng.unit()
        let normal = (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
        return min(max(median * exp(sigma * normal), range.lowerBound), range.upperBound)
    }

    /// A Pareto draw with scale `minimum` and tail index `alpha`, capped at `maximum`.
    @inline(__always)
    public static func pareto(_ rng: inout WyRand, minimum: Double, alpha: Double, maximum: Double) -> Double {
        min(minimum * exp(-log(rng.unitOpen()) / alpha), maximum)
    }
}
