import Foundation

/// Durations and rates of exfiltration sessions: uploads over HTTPS to a rarely seen outside
/// host, or a DNS tunnel, bounded by the host's link and lasting minutes.
enum ExfiltrationShape {
    static let tunnelShare = 0.2
    static let https = (median: 300_000.0, sigma: 0.7, range: 40_000.0...2_700_000.0)
    static let tunnel = (median: 720_000.0, sigma: 0.6, range: 120_000.0...5_400_000.0)
    /// Bytes per second of an HTTPS upload (log-normal), before the link's bound.
    static let uploadRate = (median: 400_000.0, sigma: 0.9)

    static func expectedRecords(windowMs: Double) -> Double {
        (1 - tunnelShare) * ClampedLogNormal.expectedRecords(median: https.median, sigma: https.sigma, range: https.range, windowMs: windowMs)
            + tunnelShare * ClampedLogNormal.expectedRecords(median: tunnel.median, sigma: tunnel.sigma, range: tunnel.range, windowMs: windowMs)
    }
}

/// Internet background noise: probes from outside hosts, one flow each.
enum InternetNoise {
    static let meanProbes = 1.0
}

/// A log-normal clamped to a range: draws, draws weighted by length (the sessions already running
/// at a given moment), and the expected number of records a duration makes.
enum ClampedLogNormal {
    @inline(__always)
    static func draw(_ rng: inout WyRand, median: Double, sigma: Double, range: ClosedRange<Double>, lengthBiased: Bool) -> Double {
        // A log-normal weighted by its value is the log-normal with mu + sigma^2.
        let m = lengthBiased ? median * exp(sigma * sigma) : median
        return Distributions.quickLogNormal(&rng, median: m, sigma: sigma, range: range)
    }

    /// 1 + sum over k >= 1 of P(D > k window).
    static func expectedRecords(median: Double, sigma: Double, range: ClosedRange<Double>, windowMs: Double) -> Double {
        let mu = log(median)
        var expected = 1.0
        var k = 1.0
        while k * windowMs < range.upperBound {
            let x = k * windowMs
            expected += x < range.lowerBound ? 1 : 0.5 * erfc((log(x) - mu) / (sigma * 2.0.squareRoot()))
            k += 1
        }
        return expected
    }
}
