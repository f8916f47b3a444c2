@testable import ChaosEngine
import TelemetryModel
import Testing

/// Scenario entries: compiled against the network with errors naming their path, occurrences when
/// the entry says, and campaigns whose flows overlap reported once each, in end order.
@Suite struct ScenarioTests {
    static let start = tuesdayAfternoon

    static func simulation(_ entries: [ScenarioEntry], rate: Double = 20) -> FlowSimulation {
        var s = settings(seed: 5, rate: rate, chaos: chaos())
        s.scenarios = entries
        return FlowSimulation(declaration: .standard, settings: s)
    }

    @Test("a place that names no host, or a family going the wrong way, is refused with its path")
    func badPlacesAreNamed() throws {
        let topology = Topology(declaration: .standard, seed: 5)
        let cases: [(ScenarioEntry, String)] = [
            (ScenarioEntry(family: .ddos, source: .randomExternal, target: .role("nowhere"), durationMs: 60_000), "scenarios[0].target"),
            (ScenarioEntry(family: .beaconing, source: .randomInternal, target: .role("web"), durationMs: 60_000), "scenarios[0].target"),
            (ScenarioEntry(family: .lateralMovement, source: .randomExternal, target: .randomInternal, durationMs: 60_000), "scenarios[0].source"),
            (ScenarioEntry(family: .portScan, source: .randomExternal, target: .address(IPv4Address(1, 2, 3, 4)), durationMs: 60_000), "scenarios[0].target"),
            (ScenarioEntry(family: .none, source: .randomExternal, target: .randomInternal, durationMs: 60_000), "scenarios[0].family"),
            (ScenarioEntry(family: .serviceFailure, source: .randomInternal, target: .randomInternal, durationMs: 60_000, intensity: 1.5), "scenarios[0].intensity"),
        ]
        for (entry, path) in cases {
            #expect(throws: ScenarioPlan.Failure.self) { try ScenarioPlan.compile([entry], topology: topology, startMs: Self.start) }
            do {
                _ = try ScenarioPlan.compile([entry], topology: topology, startMs: Self.start)
            } catch {
                #expect(error.path == path, "\(error)")
            }
        }
    }

    @Test("an entry every hour makes one incident an hour, starting on the hour, from its own source")
    func occurrencesFollowTheEntry() {
        let entry = ScenarioEntry(family: .portScan, source: .randomExternal, target: .role("web"), startOffsetMs: 600_000, durationMs: 60_000,
                                  everyMs: 3_600_000, ports: [443], timing: 3)
        let records = Self.simulation([entry]).sequentialRecords(untilMs: Self.start + 5 * 3_600_000)
        var incidents: [IncidentID: [FlowEvent]] = [:]
        for e in records where !e.incident.isNone { incidents[e.incident, default: []].append(e) }
        #expect(incidents.count == 5)
        let starts = incidents.values.map { $0.map(\.startMs).min()! }.sorted()
        #expect(starts == (0..<5).map { Self.start + 600_000 + Int64($0) * 3_600_000 })
        for flows in incidents.values {
            #expect(Set(flows.map(\.dstPort)) == [443] && Set(flows.map(\.srcIP)).count == 1)
            #expect(flows.allSatisfy { $0.incident.family == .portScan && $0.anomalies == .portScan })
        }
    }

    @Test("a campaign's flows overlap, yet each is reported once, in end order, whatever the steps")
    func overlappingFlowsComeOnceInOrder() {
        // Twenty logins a second, each 0.3 to 3 s long: dozens in flight at once.
        let entry = ScenarioEntry(family: .bruteForce, source: .randomExternal, target: .role("dev"), startOffsetMs: 5_000, durationMs: 120_000,
                                  intensity: 20, ports: [22])
        let simulation = Self.simulation([entry])
        let plan = simulation.scenarioPlans[0]
        let shard = Topology.shard(ofHost: Int(plan.owner(seed: 5, index: 0, occurrence: 0)))
        for stepMs: Int64 in [37, 1_000, 60_000] {
            var simulator = ShardSimulator(shard: shard, simulation: simulation)
            var flows: [FlowEvent] = []
            var t = Self.start
            while t < Self.start + 200_000 {
                t += stepMs
                let output = ShardRecords()
                simulator.step(until: t, into: output)
                output.sort()
                for i in 0..<output.count where output.ordered(i).pointee.anomalies.contains(.bruteForce) { flows.append(output.ordered(i).pointee) }
            }
            #expect(flows.count == 2_400, "step \(stepMs)")
            #expect(Set(flows.map(\.sessionID)).count == 2_400)
            #expect(zip(flows, flows.dropFirst()).allSatisfy { $0.endMs <= $1.endMs }, "step \(stepMs)")
            let durations = flows.map { $0.endMs - $0.startMs }
            #expect(durations.max()! > 2 * 50, "flows overlap: longer than the gap between two")
        }
    }

    @Test("a DNS tunnel's queries name its domain in encoded labels; the network's own name servers and services")
    func dnsRecordsNameTheirQuery() throws {
        let entry = ScenarioEntry(family: .dnsTunnel, source: .randomInternal, target: .randomExternal, startOffsetMs: 60_000, durationMs: 600_000,
                                  intensity: 5)
        let simulation = Self.simulation([entry])
        let vocabulary = simulation.topology.vocabulary(generatorID: "gen-test")
        let records = simulation.sequentialRecords(untilMs: Self.start + 900_000)
        let tunnel = records.filter { $0.incident.family == .dnsTunnel }
        try #require(tunnel.count >= 10)
        let domains = Set(tunnel.map { vocabulary.hosts[Int($0.queryName.index)].name })
        #expect(domains.count == 1)
        for e in tunnel {
            #expect(e.queryName.kind == .tunnel && e.appProtocol == .dns)
            let name = vocabulary.hostName(of: e)
            #expect(name.hasSuffix("." + domains.first!) && name.count <= QueryName.maxLength)
            // A query as big as the name in it: the DNS message around it takes 28 bytes or more.
            #expect(Double(name.count) <= Double(e.bytesSent) / Double(e.packetsSent) - 28 - 28)
        }
        let normal = records.filter { $0.appProtocol == .dns && $0.incident.isNone }
        try #require(normal.count > 200)
        let kinds = Set(normal.map(\.queryName.kind))
        #expect(kinds == [.host, .popular, .lookup])
        // Queries to an outside resolver never name the network's own servers.
        #expect(!normal.contains { !vocabulary.hostName(of: $0).isEmpty && $0.queryName.kind == .host && !simulation.topology.hosts[Int($0.dstHost)].isInternal })
        #expect(records.allSatisfy { $0.appProtocol == .dns || $0.queryName == .server })
    }

    @Test("a scenario's degraded service answers every session slower over its windows, and only its own")
    func aDegradedServiceIsSlowOverItsWindows() throws {
        let entry = ScenarioEntry(family: .serviceDegradation, source: .randomInternal, target: .role("db"), startOffsetMs: 600_000, durationMs: 600_000,
                                  intensity: 8, everyMs: 3_600_000)
        let simulation = Self.simulation([entry], rate: 40)
        let db = Set(simulation.topology.roles[simulation.topology.role(named: "db")!].hosts.map { UInt32($0) })
        let records = simulation.sequentialRecords(untilMs: Self.start + 7_200_000)
        let slow = records.filter { $0.incident.family == .serviceDegradation }
        try #require(slow.count > 50)
        #expect(Set(slow.map(\.incident)).count == 2, "one incident per occurrence")
        #expect(slow.allSatisfy { db.contains($0.dstHost) && $0.anomalies.contains(.latencySpike) })
        // Sessions to the databases that start in a window are all slow (those the network refuses
        // or drops aside); outside, none is.
        let windows = [Self.start + 600_000..<Self.start + 1_200_000, Self.start + 4_200_000..<Self.start + 4_800_000]
        let firsts = Dictionary(grouping: records.filter { db.contains($0.dstHost) && $0.transport == .tcp }, by: \.sessionID).values.compactMap { $0.min { $0.startMs < $1.startMs } }
        let inside = firsts.filter { e in windows.contains { $0.contains(e.startMs) } && e.startMs > Self.start && e.packetsReceived > 0 && !e.flags.contains(.rst) }
        let outside = firsts.filter { e in !windows.contains { ($0.lowerBound - 1_000..<$0.upperBound + 1_000).contains(e.startMs) } }
        try #require(inside.count > 20 && outside.count > 20)
        #expect(inside.allSatisfy { $0.incident.family == .serviceDegradation })
        #expect(outside.allSatisfy { $0.incident.isNone })
        func median(_ values: [Int32]) -> Int32 { values.sorted()[values.count / 2] }
        #expect(median(inside.map(\.latencyMs)) >= 3 * median(outside.map(\.latencyMs)))
    }

    @Test("a scenario's failing service fails its share of sessions; at a mean rate, at most one occurrence an hour")
    func aFailingServiceFailsItsShare() throws {
        let entry = ScenarioEntry(family: .serviceFailure, source: .randomInternal, target: .role("web"), startOffsetMs: 300_000, durationMs: 900_000,
                                  intensity: 0.9)
        let simulation = Self.simulation([entry], rate: 40)
        let web = Set(simulation.topology.roles[simulation.topology.role(named: "web")!].hosts.map { UInt32($0) })
        let records = simulation.sequentialRecords(untilMs: Self.start + 1_800_000)
        let failed = records.filter { $0.incident.family == .serviceFailure }
        try #require(failed.count > 20)
        #expect(failed.allSatisfy { web.contains($0.dstHost) && $0.anomalies.contains(.connectionReset) })
        let sessions = Dictionary(grouping: records.filter { web.contains($0.dstHost) && $0.transport == .tcp }, by: \.sessionID).values
        let started = sessions.filter { rs in (Self.start + 300_000..<Self.start + 1_200_000).contains(rs.map(\.startMs).min()!) }
        let share = Double(started.filter { rs in rs.contains { !$0.incident.isNone } }.count) / Double(started.count)
        #expect(share > 0.7 && share < 0.98, "\(share) of \(started.count) sessions failed")
        #expect(failed.allSatisfy { $0.startMs >= Self.start + 300_000 - 60_000 })

        var rated = entry
        rated.everyMs = nil
        rated.perDay = 12
        rated.durationMs = 1_200_000
        let day = Self.simulation([rated], rate: 2).sequentialRecords(untilMs: Self.start + 86_400_000)
        let incidents = Set(day.filter { $0.incident.family == .serviceFailure }.map(\.incident))
        #expect((4...20).contains(incidents.count), "\(incidents.count) incidents in a day at 12 a day")
        #expect(day.allSatisfy { $0.incident.family != .serviceFailure || web.contains($0.dstHost) })
    }

    @Test("a service incident started at run time degrades its server from its start on")
    func aServiceIncidentStartedAtRunTime() throws {
        var s = settings(seed: 5, rate: 40, chaos: chaos())
        s.liveSlots = 2
        let simulation = FlowSimulation(declaration: .standard, settings: s)
        let db = simulation.topology.roles[simulation.topology.role(named: "db")!].hosts
        let target = simulation.topology.hosts[db.lowerBound].address
        let entry = ScenarioEntry(family: .serviceDegradation, source: .randomInternal, target: .address(target), durationMs: 1_200_000, intensity: 10)
        let index = try simulation.startIncident(entry, atMs: Self.start + 300_000)
        #expect(index == 0)
        let records = simulation.sequentialRecords(untilMs: Self.start + 1_800_000)
        let slow = records.filter { $0.incident.family == .serviceDegradation }
        try #require(slow.count > 5)
        #expect(slow.allSatisfy { $0.dstIP == target && $0.startMs >= Self.start + 300_000 - 60_000 })
        #expect(Set(slow.map(\.incident)).count == 1)
    }
}
