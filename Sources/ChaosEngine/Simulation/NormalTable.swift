import Foundation

/// Standard normal draws by table: 16,384 quantiles interpolated linearly, so a draw costs a
/// multiplication and two loads instead of a logarithm and a cosine. Tails reach about 4 sigma,
/// which is plenty for the log-normal sizes and durations of the simulation.
enum NormalTable {
    static let bits = 14
    static let count = 1 << bits
    /// `count + 1` quantiles at (i + 0.5) / count, the last repeated for the interpolation.
    nonisolated(unsafe) static let quantiles: UnsafePointer<Double> = {
        let table = UnsafeMutablePointer<Double>.allocate(capacity: count + 1)
        for i in 0..<count { table[i] = inverseCDF((Double(i) + 0.5) / Double(count)) }
        table[count] = table[count - 1]
        return UnsafePointer(table)
    }()

    /// A standard normal draw.
    @inline(__always)
    static func draw(_ rng: inout WyRand) -> Double { draw(&rng, quantiles) }

    /// A standard normal draw from `table` (``quantiles``, held where it is used to save the
    /// lazy global's check).
    @inline(__always)
    static func draw(_ rng: inout WyRand, _ quantiles: UnsafePointer<Double>) -> Double {
        let x = rng.next()
        let index = Int(truncatingIfNeeded: x >> UInt64(64 - bits))
        let fraction = Double(x & ((1 << UInt64(64 - bits)) - 1)) * 0x1.0p-50
        let low = quantiles[index]
        return low + (quantiles[index + 1] - low) * fraction
    }

    /// The standard normal quantile (Acklam's rational approximation, relative error below 1e-9).
    static func inverseCDF(_ p: Double) -> Double {
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        let low = 0.02425
        if p < low {
            let q = (-2 * log(p)).squareRoot()
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        if p > 1 - low {
            let q = (-2 * log(1 - p)).squareRoot()
            return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        let q = p - 0.5
        let r = q * q
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    }
}

extension Distributions {
    /// A log-normal draw with the given median and shape, clamped to `range` (table-driven normal).
    @inline(__always)
    public static func quickLogNormal(_ rng: inout WyRand, median: Double, sigma: Double, range: ClosedRange<Double>) -> Double {
        min(max(median * FastMath.exp(sigma * NormalTable.draw(&rng)), range.lowerBound), range.upperBound)
    }
}
