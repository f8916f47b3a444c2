import ChaosEngine
import Testing
import TelemetryModel

/// Sessions, physics and shards of the simulated network, read off its records.
@Suite struct SimulationTests {
    static let run = simulate(.standard, settings: settings(rate: 100, chaos: chaos(spike: 0.05, reset: 0.02, exfil: 0.01, malformed: 0, drop: 0, scans: true)), minutes: 20)

    @Test func recordsOfASessionShareTheFiveTupleAndMoveForwardInTime() {
        var sessions: [Int64: [FlowEvent]] = [:]
        for record in Self.run.1 where record.anomalies.isDisjoint(with: [.portScan]) { sessions[record.sessionID, default: []].append(record) }
        var multi = 0
        for (_, records) in sessions where records.count > 1 {
            multi += records.count
            let first = records[0]
            for (a, b) in zip(records, records.dropFirst()) {
                #expect(b.srcIP == first.srcIP && b.dstIP == first.dstIP && b.srcPort == first.srcPort && b.dstPort == first.dstPort && b.transport == first.transport)
                #expect(b.startMs >= a.endMs && b.endMs >= b.startMs)
            }
            // Only the first record opens the connection, only the last closes it.
            if first.transport == .tcp && records.count > 2 {
                #expect(records.dropFirst().allSatisfy { !$0.clientFlags.contains(.syn) })
                #expect(records.dropLast().allSatisfy { !$0.flags.contains(.fin) && !$0.flags.contains(.rst) })
            }
        }
        let normal = Self.run.1.filter { $0.anomalies.isEmpty }.count
        #expect(Double(multi) / Double(normal) > 0.3, "\(multi) of \(normal) normal records in multi-record sessions")
    }

    @Test func recordsStayWithinPhysics() {
        let simulation = Self.run.0
        for e in Self.run.1 {
            let duration = max(Double(e.endMs - e.startMs), 1) / 1_000
            switch e.transport {
            case .udp, .icmp:
                #expect(e.flags.isEmpty && e.statusCode == 0)
            case .tcp:
                #expect(!e.flags.isEmpty)
                // Every flag needs a packet; nothing answers without a packet back.
                #expect(Int(e.packetsSent) + Int(e.packetsReceived) >= e.flags.intersection([.syn, .fin, .rst]).bitCount)
                if e.packetsReceived == 0 { #expect(e.flags == [.syn]) }
                if e.flags.contains(.psh) { #expect(e.bytesSent > 52 * Int64(e.packetsSent) || e.bytesReceived > 52 * Int64(e.packetsReceived)) }
            }
            if !e.appProtocol.isHTTP { #expect(e.statusCode == 0) }
            for (bytes, packets) in [(e.bytesSent, e.packetsSent), (e.bytesReceived, e.packetsReceived)] where packets > 0 {
                let perPacket = Double(bytes) / Double(packets)
                #expect(perPacket >= 28 && perPacket <= 1_500, "\(perPacket) bytes a packet in \(e.appProtocol) \(e.transport) \(e.anomalies) \(bytes)/\(packets)")
            }
            // Each direction of a link carries its speed.
            let link = Double(min(simulation.topology.hosts[Int(e.srcHost)].linkMbps, simulation.topology.hosts[Int(e.dstHost)].linkMbps)) * 1e6
            #expect(Double(max(e.bytesSent, e.bytesReceived)) * 8 <= link * duration, "\(e.bytesSent)/\(e.bytesReceived) bytes in \(duration) s over \(link) bit/s: \(e.appProtocol) \(e.anomalies)")
        }
    }

    @Test func hostsKeepTheirIdentity() {
        let vocabulary = Self.run.0.topology.vocabulary(generatorID: "g")
        var seen: [IPv4Address: Int] = [:]
        for e in Self.run.1 {
            for (address, host) in [(e.srcIP, e.srcHost), (e.dstIP, e.dstHost)] {
                if let known = seen[address] { #expect(known == Int(host)) } else { seen[address] = Int(host) }
            }
            #expect(vocabulary.hosts[vocabulary.observer(of: e)].identity != nil || (vocabulary.hosts[Int(e.srcHost)].identity == nil && vocabulary.hosts[Int(e.dstHost)].identity == nil))
        }
    }

    @Test func shardsTogetherAreTheWholeRun() {
        let whole = simulate(.standard, settings: settings(rate: 100, chaos: ChaosConfiguration()), minutes: 3).1
        var union: [FlowEvent] = []
        for index in 1...4 {
            union += simulate(.standard, settings: settings(rate: 100, chaos: ChaosConfiguration(), shards: ShardSelection(index: index, count: 4)!), minutes: 3).1
        }
        func key(_ e: FlowEvent) -> String { "\(e.eventIDString) \(e.sessionID) \(e.startMs) \(e.endMs) \(e.bytesSent) \(e.bytesReceived) \(e.packetsSent) \(e.flags.rawValue)" }
        #expect(union.count == whole.count)
        #expect(Set(union.map(key)) == Set(whole.map(key)))
    }

    @Test func stepsDoNotChangeTheRecords() {
        // The same minutes simulated in one piece or several.
        let simulation = FlowSimulation(declaration: .standard, settings: settings(rate: 100, chaos: ChaosConfiguration()))
        let start = simulation.settings.startMs
        let whole = simulation.sequentialRecords(untilMs: start + 120_000)
        var pieces: [FlowEvent] = []
        for shard in 0..<Topology.shardCount {
            var simulator = ShardSimulator(shard: shard, simulation: simulation)
            for end in stride(from: start + 7_000, through: start + 120_000, by: 7_000) + [start + 120_000] where end > simulator.now {
                let output = ShardRecords()
                simulator.step(until: end, into: output)
                output.sort()
                for i in 0..<output.count { pieces.append(output.ordered(i).pointee) }
            }
        }
        #expect(Set(pieces.map(\.eventIDString)) == Set(whole.map(\.eventIDString)))
    }
}

extension TCPFlags {
    var bitCount: Int { rawValue.nonzeroBitCount }
}
