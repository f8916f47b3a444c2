import ChaosEngine
import Testing
import TelemetryModel

/// Measured shares over about a million events agree with the configured probabilities.
@Suite struct ChaosShareTests {
    /// |measured - p| <= 5 standard errors.
    func expectShare(_ hits: Int, of total: Int, _ p: Double, _ what: String) {
        let measured = Double(hits) / Double(total)
        let standardError = (p * (1 - p) / Double(total)).squareRoot()
        #expect(abs(measured - p) <= 5 * standardError, "\(what): measured \(measured), configured \(p), 5 SE = \(5 * standardError)")
    }

    @Test func sharesMatchProbabilitiesAndKindsAreIndependent() {
        let configured = chaos(spike: 0.05, reset: 0.02, exfil: 0.01, malformed: 0.01, drop: 0.01)
        let events = generateEvents(chaos: configured, chunks: 245)  // 1,003,520 slots
        let slots = 245 * FlowChunkGenerator.slotsPerChunk
        #expect(events.count > 980_000)
        expectShare(slots - events.count, of: slots, 0.01, "drop")
        func count(_ set: AnomalySet) -> Int { events.reduce(0) { $0 + ($1.anomalies.isSuperset(of: set) ? 1 : 0) } }
        expectShare(count(.latencySpike), of: events.count, 0.05, "latency spike")
        expectShare(count(.connectionReset), of: events.count, 0.02, "connection reset")
        expectShare(count(.exfiltration), of: events.count, 0.01, "exfiltration")
        expectShare(count(.malformed), of: events.count, 0.01, "malformed")
        // Independent draws: the joint share is the product (the original nested them).
        expectShare(count([.latencySpike, .connectionReset]), of: events.count, 0.05 * 0.02, "spike and reset")
        expectShare(count([.latencySpike, .exfiltration]), of: events.count, 0.05 * 0.01, "spike and exfiltration")
        // Every malformed kind shows up.
        let kinds = Set(events.compactMap { $0.malformation?.kind })
        #expect(kinds == Set(MalformedKind.allCases))
    }

    @Test func chaosOffGivesOnlyNormalContiguousEvents() {
        var off = chaos(spike: 0.5, reset: 0.5, exfil: 0.5, malformed: 0.5, drop: 0.5, scans: true)
        off.enabled = false
        let events = generateEvents(chaos: off, chunks: 10)
        #expect(events.count == 10 * FlowChunkGenerator.slotsPerChunk)
        #expect(events.allSatisfy { $0.anomalies.isEmpty && $0.malformation == nil })
        #expect(events.enumerated().allSatisfy { Int($0.element.seq) == $0.offset })
    }
}
