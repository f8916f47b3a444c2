import Foundation
import TelemetryModel

/// How sessions of one application protocol look, for one kind of client: how many are
/// long-lived (pooled connections, browser connections, interactive logins) and how long those
/// last and how much they carry per second; and for short ones how many requests they make and
/// how large requests and responses are.
struct SessionProfile: Sendable {
    /// Share of sessions that are long-lived.
    var longShare: Double
    /// Duration of long-lived sessions: a log-normal clamped to `longRange`, milliseconds.
    var longMedianMs: Double
    var longSigma: Double
    var longRange: ClosedRange<Double>
    /// Payload bytes per second of a long-lived session, each way (log-normal).
    var upRate: (median: Double, sigma: Double)
    var downRate: (median: Double, sigma: Double)
    /// Short sessions: extra requests after the first (geometric with this mean).
    var extraRequests: Double
    /// Request payload (log-normal, clamped).
    var request: (median: Double, sigma: Double, range: ClosedRange<Double>)
    /// Response payload (Pareto from `minimum` with tail `alpha`, capped).
    var response: (minimum: Double, alpha: Double, maximum: Double)
    /// TLS handshake bytes before the first request (client, server).
    var handshake: (up: Double, down: Double)

    /// The profile of `app` sessions started by a client of `client`'s kind.
    static func of(_ app: AppProtocol, client: RoleKind, server: RoleKind) -> SessionProfile {
        let isServerClient = client == .web || client == .api || client == .db || client == .cache
        switch app {
        case .http11:
            return SessionProfile(
                longShare: 0.05, longMedianMs: 15_000, longSigma: 0.8, longRange: 2_000...300_000,
                upRate: (300, 1.0), downRate: (4_000, 1.5), extraRequests: 0.6,
                request: (450, 0.6, 120...65_536), response: (1_200, 1.25, 50e6), handshake: (0, 0)
            )
        case .http2, .tls, .tcp, .udp:
            if server == .storage {
                return SessionProfile(
                    longShare: 0.1, longMedianMs: 45_000, longSigma: 1.0, longRange: 5_000...1_800_000,
                    upRate: (20_000, 1.5), downRate: (60_000, 1.5), extraRequests: 2,
                    request: (2_000, 1.5, 200...20e6), response: (10_000, 1.1, 200e6), handshake: (650, 4_800)
                )
            }
            if isServerClient {
                return SessionProfile(
                    longShare: 0.12, longMedianMs: 240_000, longSigma: 1.2, longRange: 10_000...7_200_000,
                    upRate: (3_000, 1.2), downRate: (12_000, 1.4), extraRequests: 2,
                    request: (900, 0.8, 150...2e6), response: (800, 1.4, 10e6), handshake: (600, 4_200)
                )
            }
            return SessionProfile(
                longShare: 0.3, longMedianMs: 90_000, longSigma: 1.0, longRange: 5_000...1_800_000,
                upRate: (500, 1.2), downRate: (8_000, 1.6), extraRequests: 1.5,
                request: (700, 0.7, 150...1e6), response: (1_500, 1.2, 100e6), handshake: (650, 4_800)
            )
        case .postgresql, .mysql:
            return SessionProfile(
                longShare: 0.05, longMedianMs: 480_000, longSigma: 1.3, longRange: 30_000...21_600_000,
                upRate: (4_000, 1.2), downRate: (30_000, 1.6), extraRequests: 3,
                request: (300, 0.8, 60...200_000), response: (400, 1.15, 20e6), handshake: (400, 600)
            )
        case .redis:
            return SessionProfile(
                longShare: 0.05, longMedianMs: 600_000, longSigma: 1.3, longRange: 30_000...21_600_000,
                upRate: (2_000, 1.0), downRate: (4_000, 1.3), extraRequests: 5,
                request: (80, 0.6, 20...100_000), response: (40, 0.9, 2e6), handshake: (0, 0)
            )
        case .ssh:
            return SessionProfile(
                longShare: 0.9, longMedianMs: 360_000, longSigma: 1.3, longRange: 3_000...28_800_000,
                upRate: (150, 1.0), downRate: (1_500, 1.8), extraRequests: 0,
                request: (5_000, 1.0, 1_000...1e6), response: (5_000, 1.0, 200e6), handshake: (2_000, 2_500)
            )
        case .dns, .ntp, .icmp:
            return SessionProfile(
                longShare: 0, longMedianMs: 1, longSigma: 0, longRange: 1...1, upRate: (0, 0), downRate: (0, 0), extraRequests: 0,
                request: (0, 0, 0...0), response: (0, 1, 0), handshake: (0, 0)
            )
        }
    }

    /// The expected number of records of a long-lived session cut by `windowMs`.
    func expectedLongRecords(windowMs: Double) -> Double {
        ClampedLogNormal.expectedRecords(median: longMedianMs, sigma: longSigma, range: longRange, windowMs: windowMs)
    }
}
