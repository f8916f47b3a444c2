import ChaosEngine
import Foundation
import Testing
import TelemetryModel

/// The network makes the records per second it is asked for, each edge its share.
@Suite struct CalibrationTests {
    @Test func recordsPerSecondMatchTheRateAndEachEdgeItsCalibration() {
        let (simulation, records) = simulate(flatNetwork, settings: settings(rate: 100, chaos: .off), minutes: 60)
        let perSecond = Double(records.count) / 3_600
        #expect(abs(perSecond - 100) < 3, "\(perSecond) records/s")
        var byProcess: [Int: Int] = [:]
        for record in records { byProcess[Int((record.sessionID >> 38) & 0xFF), default: 0] += 1 }
        var checked = 0
        for (p, process) in simulation.processes.enumerated() {
            guard case .edge(let e) = process.kind else { continue }
            let expected = process.ratePerMs * 3_600_000 * simulation.edges[e].recordsPerSession
            guard expected > 3_000 else { continue }
            let got = Double(byProcess[p] ?? 0)
            // Long sessions make the counts lumpy; a fifth either way is far outside noise otherwise.
            #expect(abs(got / expected - 1) < 0.2, "process \(p): \(got) records, expected \(expected)")
            checked += 1
        }
        #expect(checked >= 10)
    }

    @Test func scanShareDoesNotDependOnTheRate() {
        var shares: [Double] = []
        for rate in [50.0, 400.0] {
            var c = ChaosConfiguration()
            c.portScan.intervalSeconds = 0.5
            let (_, records) = simulate(flatNetwork, settings: settings(rate: rate, chaos: c), minutes: 20)
            shares.append(Double(records.filter { $0.anomalies.contains(.portScan) }.count) / Double(records.count))
        }
        // One burst of 100 probes per 0.5 s at 5000 records/s: 4% of the records, at any rate.
        for share in shares { #expect(abs(share - 0.04) < 0.015, "\(shares)") }
    }
}
