@testable import ChaosEngine
import TelemetryModel
import Testing

/// Incidents of degraded and failing services: a pure function of the seed, the host and the time,
/// covering the asked share of the servers' time in windows of minutes.
@Suite struct ServiceIncidentTests {
    static let day: Int64 = 86_400_000
    static let start: Int64 = 1_795_528_800_000

    @Test("the time covered is the share asked, in windows of 2 to 30 minutes, the same for the same seed")
    func coverageAndWindows() {
        let incidents = ServiceIncidents(seed: 7, degradedShare: 0.05, failingShare: 0.08)
        var degraded: Int64 = 0, failing: Int64 = 0, samples: Int64 = 0
        var lengths: [Int64] = []
        for host in UInt32(0)..<200 {
            var t = Self.start
            var previous: ServiceIncidents.Incident?
            while t < Self.start + 7 * Self.day {
                let (slow, down) = incidents.incidents(host: host, atMs: t)
                samples += 1
                if slow != nil { degraded += 1 }
                if down != nil { failing += 1 }
                for incident in [slow, down].compactMap({ $0 }) {
                    #expect(incident.startMs <= t && t < incident.endMs)
                    if incident.kind == .degraded { #expect((2.5...30).contains(incident.severity)) } else { #expect((0.25...0.9).contains(incident.severity)) }
                }
                if let slow, slow != previous { lengths.append(slow.endMs - slow.startMs) }
                previous = slow
                t += 60_000
            }
        }
        let degradedShare = Double(degraded) / Double(samples), failingShare = Double(failing) / Double(samples)
        #expect(abs(degradedShare - 0.05) < 0.01, "degraded \(degradedShare) of the time")
        #expect(abs(failingShare - 0.08) < 0.012, "failing \(failingShare) of the time")
        #expect(lengths.count > 500 && lengths.allSatisfy { (120_000...1_800_000).contains($0) })
        lengths.sort()
        #expect((360_000...600_000).contains(lengths[lengths.count / 2]), "median incident \(lengths[lengths.count / 2]) ms")
        // The same seed, the same incidents; another seed, others.
        let again = ServiceIncidents(seed: 7, degradedShare: 0.05, failingShare: 0.08)
        let other = ServiceIncidents(seed: 8, degradedShare: 0.05, failingShare: 0.08)
        var same = true, differ = false
        for host in UInt32(0)..<50 {
            for minute in Int64(0)..<1_440 {
                let t = Self.start + minute * 60_000
                let mine = incidents.incidents(host: host, atMs: t), theirs = again.incidents(host: host, atMs: t), others = other.incidents(host: host, atMs: t)
                same = same && mine.degraded == theirs.degraded && mine.failing == theirs.failing
                differ = differ || mine.degraded != others.degraded || mine.failing != others.failing
            }
        }
        #expect(same && differ)
    }

    @Test("a share of 1 keeps every server degraded; none, no incident")
    func permanentAndNone() {
        let always = ServiceIncidents(seed: 1, degradedShare: 1, failingShare: 0)
        let never = ServiceIncidents(seed: 1, degradedShare: 0, failingShare: 0)
        for host in UInt32(0)..<100 {
            let t = Self.start + Int64(host) * 3_600_000
            #expect(always.incidents(host: host, atMs: t).degraded?.kind == .degraded && always.incidents(host: host, atMs: t).failing == nil)
            let none = never.incidents(host: host, atMs: t)
            #expect(none.degraded == nil && none.failing == nil)
        }
    }

    @Test("every record an incident produced names it: one server per service incident, the label its family's")
    func recordsNameTheirIncident() {
        let chaos = ChaosConfiguration(enabled: true, latencySpike: Probability(0.08)!, connectionReset: Probability(0.04)!,
                                       exfiltration: Probability(0.02)!, portScan: PortScanConfiguration(enabled: true, intervalSeconds: 2))
        let settings = SimulationSettings(seed: 31, startMs: Self.start, timeRate: 500, chaos: chaos)
        let simulation = FlowSimulation(declaration: .standard, settings: settings)
        var servers: [IncidentID: Set<UInt32>] = [:]
        var families = Set<IncidentFamily>()
        for e in simulation.sequentialRecords(untilMs: Self.start + 30 * 60_000) {
            let anomalies = e.anomalies.subtracting(.malformed)
            #expect(anomalies.isEmpty == e.incident.isNone)
            guard !e.incident.isNone else { continue }
            let family = e.incident.family
            families.insert(family)
            #expect(anomalies.primaryLabel == family.label || (family == .serviceFailure && anomalies.contains(.connectionReset)))
            if family == .serviceDegradation || family == .serviceFailure { servers[e.incident, default: []].insert(e.dstHost) }
        }
        #expect(families == [.serviceDegradation, .serviceFailure, .exfiltration, .dnsTunnel, .portScan])
        #expect(servers.count > 10 && servers.values.allSatisfy { $0.count == 1 })
    }
}
