import Foundation
import TelemetryModel

/// When services are degraded or failing: incidents of one server host over a window of minutes,
/// during which every session it serves is slower (degraded) or a share of them fail (failing). A
/// pure function of the seed, the host and the time: time is cut into epochs of ``epochMs``, and
/// each host has at most one incident starting in each, drawn from a hash of the seed, the host and
/// the epoch, so any session can ask at once whether its server is in one.
struct ServiceIncidents: Sendable, Hashable {
    enum Kind: UInt8, Sendable {
        case degraded
        case failing
    }

    /// One incident: its kind, its window and how bad it is.
    struct Incident: Sendable, Hashable {
        var kind: Kind
        var startMs: Int64
        var endMs: Int64
        /// Degraded: how many times slower the server answers (median of its sessions').
        /// Failing: the share of its sessions that fail.
        var severity: Double
        /// The host and the epoch it began in (the permanent kind: epoch 0xFFFFFF).
        var host: UInt32
        var epoch: Int64
        /// A scenario entry's incident: its id (else the id comes from the host and the epoch).
        var scenario: IncidentID? = nil

        /// The incident's id: its host and epoch.
        var id: IncidentID {
            scenario ?? IncidentID(family: kind == .degraded ? .serviceDegradation : .serviceFailure, number: UInt64(host) << 24 | UInt64(bitPattern: epoch) & 0xFF_FFFF)
        }
    }

    static let epochMs: Int64 = 3_600_000
    /// Incident lengths: log-normal, clamped (at most half an epoch, so only a moment in the first
    /// half of an epoch can be in an incident that began in the epoch before).
    static let duration = (median: 480_000.0, sigma: 0.6, range: 120_000.0...1_800_000.0)
    /// How much slower a degraded server is, and the share of a failing one's sessions that fail.
    static let slowdown = (median: 6.0, sigma: 0.5, range: 2.5...30.0)
    static let failure = (low: 0.25, high: 0.9)
    /// Of the records of the sessions that fail, the share that carries the label (see
    /// ``FlowSimulation/fail(_:app:rtt:server:duration:warm:rng:)``).
    static let labelledShareOfFailed = 0.55

    let seed: UInt64
    /// Chances that a host has an incident of each kind starting in an epoch.
    let degradedChance: Double
    let failingChance: Double
    /// Every server in an incident of this kind all the time (a share of 1 asked).
    let permanent: Kind?
    /// Held here so that the hot path reads no static: the chance of any incident in an epoch,
    /// and the longest incident.
    let anyChance: Double
    let longestMs: Int64

    /// Incidents whose windows cover `degradedShare` and `failingShare` of the time of every
    /// server host (on average).
    init(seed: UInt64, degradedShare: Double, failingShare: Double) {
        self.seed = seed
        permanent = degradedShare >= 1 ? .degraded : failingShare >= 1 && degradedShare == 0 ? .failing : nil
        let covered = Self.meanDurationMs / Double(Self.epochMs)
        let degraded = min(0.95, degradedShare / covered)
        degradedChance = degraded
        failingChance = min(0.95 - degraded, failingShare / covered)
        anyChance = permanent == nil ? degradedChance + failingChance : 0
        longestMs = Int64(Self.duration.range.upperBound)
    }

    static let none = ServiceIncidents(seed: 0, degradedShare: 0, failingShare: 0)

    /// The mean length of an incident (of the clamped log-normal), by numerical integration.
    static let meanDurationMs: Double = {
        let steps = 4_000
        var total = 0.0
        for i in 0..<steps {
            let p = (Double(i) + 0.5) / Double(steps)
            total += min(max(duration.median * exp(duration.sigma * NormalTable.inverseCDF(p)), duration.range.lowerBound), duration.range.upperBound)
        }
        return total / Double(steps)
    }()

    /// The incident of `host` starting in `epoch`, if there is one and it covers `ms`. The draws
    /// that can rule it out come first (whether there is one, when it starts), so most calls end
    /// after a hash and two draws.
    @inline(__always)
    func incident(host: UInt32, epoch: Int64, covering ms: Int64) -> Incident? {
        // One finalizer round over the seed, the host and the epoch (WyRand mixes again).
        var rng = WyRand(seed: SeedMixer.finalize(seed ^ (UInt64(host) &* 0x9e37_79b9_7f4a_7c15) ^ (UInt64(bitPattern: epoch) &* 0xc2b2_ae3d_27d4_eb4f)))
        let draw = rng.unit()
        guard draw < anyChance else { return nil }
        let start = epoch * Self.epochMs + Int64(rng.unit() * Double(Self.epochMs))
        guard start <= ms, ms - start < longestMs else { return nil }
        let length = Distributions.quickLogNormal(&rng, median: Self.duration.median, sigma: Self.duration.sigma, range: Self.duration.range)
        guard ms < start + Int64(length) else { return nil }
        let kind: Kind = draw < degradedChance ? .degraded : .failing
        return Incident(kind: kind, startMs: start, endMs: start + Int64(length), severity: Self.severity(kind, &rng), host: host, epoch: epoch)
    }

    /// The incidents `host` is in at `ms`: at most one of each kind (an incident that began in the
    /// epoch before may still run when the next begins; of two of one kind, the later). Every
    /// session asks, so this is one or two hashes.
    @inline(__always)
    func incidents(host: UInt32, atMs ms: Int64) -> (degraded: Incident?, failing: Incident?) {
        if anyChance == 0 {
            guard let permanent else { return (nil, nil) }
            var rng = WyRand(seed: SeedMixer.mix(seed, 0x9e2a_1a4e, UInt64(host)))
            let incident = Incident(kind: permanent, startMs: .min, endMs: .max, severity: Self.severity(permanent, &rng), host: host, epoch: 0xFF_FFFF)
            return permanent == .degraded ? (incident, nil) : (nil, incident)
        }
        let epochMs = Self.epochMs
        let epoch = ms >= 0 ? ms / epochMs : (ms - epochMs + 1) / epochMs
        var found: (degraded: Incident?, failing: Incident?) = (nil, nil)
        if ms - epoch * epochMs < longestMs, let earlier = incident(host: host, epoch: epoch - 1, covering: ms) {
            if earlier.kind == .degraded { found.degraded = earlier } else { found.failing = earlier }
        }
        if let current = incident(host: host, epoch: epoch, covering: ms) {
            if current.kind == .degraded { found.degraded = current } else { found.failing = current }
        }
        return found
    }

    /// How bad an incident is: the slowdown of a degraded server, the failing share of a failing one.
    @inline(__always)
    static func severity(_ kind: Kind, _ rng: inout WyRand) -> Double {
        switch kind {
        case .degraded: Distributions.quickLogNormal(&rng, median: slowdown.median, sigma: slowdown.sigma, range: slowdown.range)
        case .failing: failure.low + (failure.high - failure.low) * rng.unit()
        }
    }
}
