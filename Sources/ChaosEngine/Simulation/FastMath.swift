/// Exponential and logarithm for the simulation's draws: a table and a short polynomial instead
/// of a library call, accurate to about 1e-12 (far below what synthetic sizes and durations need),
/// and the same on every machine because tables and polynomials are plain arithmetic.
enum FastMath {
    /// 2^(k/64) for k in 0..<64.
    nonisolated(unsafe) static let powersOfTwo: UnsafePointer<Double> = {
        let table = UnsafeMutablePointer<Double>.allocate(capacity: 64)
        for k in 0..<64 { table[k] = series(exp: Double(k) / 64 * 0.6931471805599453) }
        return UnsafePointer(table)
    }()

    /// For the 128 slices [1 + i/128, 1 + (i+1)/128) of [1, 2): 1/c and ln c, c the slice's middle.
    nonisolated(unsafe) static let logarithms: UnsafePointer<Double> = {
        let table = UnsafeMutablePointer<Double>.allocate(capacity: 256)
        for i in 0..<128 {
            let c = 1 + (Double(i) + 0.5) / 128
            table[2 * i] = 1 / c
            table[2 * i + 1] = series(log: c)
        }
        return UnsafePointer(table)
    }()

    /// e^y by its Taylor series (for building the table; |y| < 1).
    static func series(exp y: Double) -> Double {
        var term = 1.0, sum = 1.0
        for n in 1...30 {
            term *= y / Double(n)
            sum += term
        }
        return sum
    }

    /// ln c by the series of 2 atanh((c - 1) / (c + 1)) (for building the table; 1 <= c < 2).
    static func series(log c: Double) -> Double {
        let s = (c - 1) / (c + 1)
        var power = s, sum = 0.0
        for n in stride(from: 1, through: 61, by: 2) {
            sum += power / Double(n)
            power *= s * s
        }
        return 2 * sum
    }

    /// e^x for |x| < 700.
    @inline(__always)
    static func exp(_ x: Double) -> Double {
        let clamped = min(max(x, -700), 700)
        // e^x = 2^(t/64), t = x 64 log2 e = n + f with n whole and |f| <= 1/2; 2^(n/64) from the
        // exponent and the table, 2^(f/64) = e^r with |r| <= ln 2 / 128 by a quartic.
        let t = clamped * 92.33248261689366
        // Round to nearest by the 2^52 + 2^51 trick (no library call).
        let n = (t + 6_755_399_441_055_744.0) - 6_755_399_441_055_744.0
        let r = (t - n) * 0.010830424696249145
        let k = Int64(n)
        let scale = Double(bitPattern: UInt64(1_023 + (k >> 6)) << 52) * powersOfTwo[Int(k & 63)]
        let r2 = r * r
        let p = (1 + r) + r2 * (0.5 + r * (1.0 / 6) + r2 * (1.0 / 24))
        return scale * p
    }

    /// ln x for x > 0 (normal numbers).
    @inline(__always)
    static func log(_ x: Double) -> Double {
        // x = m 2^e with m in [1, 2); ln x = e ln 2 + ln c + ln(m / c), c the middle of m's slice.
        let bits = x.bitPattern
        let e = Double(Int64(bits >> 52) - 1_023)
        let slice = Int(truncatingIfNeeded: bits >> 45) & 127
        let m = Double(bitPattern: bits & 0x000F_FFFF_FFFF_FFFF | 0x3FF0_0000_0000_0000)
        let table = logarithms + 2 * slice
        let r = m * table[0] - 1
        let r2 = r * r
        // ln(1 + r) for |r| <= 1/257: r - r^2/2 + r^3/3 - r^4/4 + r^5/5.
        let series = r - r2 * (0.5 - r * (1.0 / 3)) - r2 * r2 * (0.25 - r * 0.2)
        return e * 0.6931471805599453 + table[1] + series
    }
}

extension Double {
    /// Rounded half up, for values from 0 to 2^62 (a conversion, not a library call).
    @inline(__always)
    var nearest: Double { Double(Int64(self + 0.5)) }

    /// The smallest whole number not below this one, for values from 0 to 2^62.
    @inline(__always)
    var ceiling: Double {
        let whole = Double(Int64(self))
        return whole < self ? whole + 1 : whole
    }
}

extension Distributions {
    /// A Pareto draw with scale `minimum` and tail index 1 / `inverseAlpha`, capped at `maximum`
    /// (fast math; the tail index comes inverted so that a loop of draws divides once).
    @inline(__always)
    public static func quickPareto(_ rng: inout WyRand, minimum: Double, inverseAlpha: Double, maximum: Double) -> Double {
        min(minimum * FastMath.exp(-FastMath.log(rng.unitOpen()) * inverseAlpha), maximum)
    }
}
