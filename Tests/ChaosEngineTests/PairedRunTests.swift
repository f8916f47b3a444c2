import ChaosEngine
import Testing
import TelemetryModel

/// The background and the attacks draw from random streams of their own: the same seed with other
/// attack settings gives the same normal traffic, record for record, the attacks' records added.
@Suite struct PairedRunTests {
    /// The records no anomaly touched, by event id (every field compared but `seq`, which the
    /// output assigns).
    static func background(_ records: [FlowEvent]) -> [String: FlowEvent] {
        var out: [String: FlowEvent] = [:]
        for record in records where record.anomalies.isEmpty {
            out["\(record.eventID.0)-\(record.eventID.1)"] = record
        }
        return out
    }

    static func same(_ a: FlowEvent, _ b: FlowEvent) -> Bool {
        a.sessionID == b.sessionID && a.startMs == b.startMs && a.endMs == b.endMs && a.srcIP == b.srcIP && a.dstIP == b.dstIP
            && a.srcPort == b.srcPort && a.dstPort == b.dstPort && a.transport == b.transport && a.bytesSent == b.bytesSent
            && a.bytesReceived == b.bytesReceived && a.packetsSent == b.packetsSent && a.packetsReceived == b.packetsReceived
            && a.flags == b.flags && a.latencyMs == b.latencyMs && a.statusCode == b.statusCode && a.appMethod == b.appMethod
            && a.appProtocol == b.appProtocol
    }

    @Test("other attack settings, the same seed: the normal records are the same, the attacks' added")
    func backgroundDoesNotDependOnTheAttacks() {
        let quiet = simulate(.standard, settings: settings(seed: 9, rate: 100, chaos: chaos()), minutes: 10).1
        var attacks = chaos(spike: 0.05, reset: 0.02, exfil: 0.05, scans: true)
        attacks.portScan.intervalSeconds = 0.5
        let loud = simulate(.standard, settings: settings(seed: 9, rate: 100, chaos: attacks), minutes: 10).1
        // The sessions an anomaly hit (a spike, a reset) are no longer normal: left out of both. A
        // reset shows on the session's last record only, so TCP sessions still open at the end of
        // the run (no FIN or RST yet, no refused or unanswered SYN) are left out too.
        var touched = Set(loud.filter { !$0.anomalies.isEmpty }.map(\.sessionID))
        var closed = Set<Int64>()
        for record in quiet where record.transport != .tcp || record.flags.contains(.fin) || record.flags.contains(.rst) || record.flags == [.syn] {
            closed.insert(record.sessionID)
        }
        // So are sessions at the edges of the run, which a spike (longer) or a reset (shorter)
        // moves out of it.
        let end = tuesdayAfternoon + 10 * 60_000
        for record in quiet + loud where !closed.contains(record.sessionID) || record.startMs < tuesdayAfternoon || record.endMs > end - 30_000 {
            touched.insert(record.sessionID)
        }
        let base = Self.background(quiet.filter { !touched.contains($0.sessionID) })
        let paired = Self.background(loud.filter { !touched.contains($0.sessionID) })
        #expect(base.count > 30_000, "\(base.count) records")
        let missing = base.keys.filter { paired[$0] == nil }.count
        let added = paired.keys.filter { base[$0] == nil }.count
        let different = base.filter { id, record in paired[id].map { !Self.same(record, $0) } ?? false }.count
        #expect(missing == 0 && added == 0 && different == 0, "of \(base.count) normal records: \(missing) missing, \(added) added, \(different) changed")
        // And the attacks are there: exfiltration at about its share, and scans.
        let exfiltration = loud.filter { $0.anomalies.contains(.exfiltration) }.count
        #expect(loud.contains { $0.anomalies.contains(.portScan) })
        let share = Double(exfiltration) / Double(loud.count)
        #expect(share > 0.02 && share < 0.1, "exfiltration \(share) of the records")
    }
}
