import Foundation
import TelemetryModel

/// The content of a short session: its requests and responses, and how long they take over a
/// path with a round-trip time, a server time and a throughput.
struct ShortExchange {
    var requests: Int
    var upBytes: Double
    var downBytes: Double
    var durationMs: Double

    init(app: AppProtocol, profile: SessionProfile, rttMs: Double, serverMs: Double, bytesPerMs: Double, normal: UnsafePointer<Double> = NormalTable.quantiles, rng: inout WyRand) {
        switch app {
        case .dns, .ntp, .icmp:
            requests = 1
            upBytes = 0
            downBytes = 0
            durationMs = rttMs + serverMs
            return
        default:
            break
        }
        var n = 1
        if profile.extraRequests > 0 {
            // Geometric: each further request with probability p = mean / (1 + mean).
            let p = profile.extraRequests / (1 + profile.extraRequests)
            while n < 200 && rng.unit() < p { n += 1 }
        }
        @inline(__always) func logNormal(_ median: Double, _ sigma: Double, _ range: ClosedRange<Double>) -> Double {
            min(max(median * FastMath.exp(sigma * NormalTable.draw(&rng, normal)), range.lowerBound), range.upperBound)
        }
        var up = profile.handshake.up
        var down = profile.handshake.down
        let inverseAlpha = 1 / profile.response.alpha
        for _ in 0..<n {
            up += logNormal(profile.request.median, profile.request.sigma, profile.request.range)
            down += Distributions.quickPareto(&rng, minimum: profile.response.minimum, inverseAlpha: inverseAlpha, maximum: profile.response.maximum)
        }
        let count = Double(n)
        // Each request waits a round trip and the server; their sum varies less than one does.
        var time = 1.5 * rttMs + (profile.handshake.down > 0 ? rttMs : 0)
        time += count * rttMs + count * serverMs * logNormal(1, 0.5 / count.squareRoot(), 0.2...20) + (down - profile.handshake.down) / bytesPerMs
        // Pauses between requests (a user reading, an application thinking).
        if n > 1 { time += logNormal(120 * (count - 1), 1.2 / (count - 1).squareRoot(), 1...300_000) }
        requests = n
        upBytes = up
        downBytes = down
        durationMs = time + up / bytesPerMs + 0.5 * rttMs
    }
}
