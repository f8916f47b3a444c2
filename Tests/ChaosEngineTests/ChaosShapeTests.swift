import ChaosEngine
import Testing
import TelemetryModel

/// Each anomaly has the shape the seeds describe; normal traffic looks like a network.
@Suite struct ChaosShapeTests {
    @Test func latencySpikesAreSlow() {
        let events = generateEvents(chaos: chaos(spike: 0.3), chunks: 5).filter { $0.anomalies.contains(.latencySpike) }
        #expect(events.count > 5_000)
        #expect(events.allSatisfy { (2_000...6_999).contains($0.latencyMs) })
    }

    @Test func connectionResetsCarryRSTAnd503() {
        let events = generateEvents(chaos: chaos(reset: 0.3, exfil: 0.3), chunks: 5).filter { $0.anomalies.contains(.connectionReset) }
        #expect(events.count > 5_000)
        #expect(events.allSatisfy { $0.statusCode == 503 })
        #expect(events.filter { $0.transport == .tcp }.allSatisfy { $0.flags == [.rst, .ack] })
        #expect(events.filter { $0.transport == .tcp }.count > events.count / 2)
    }

    @Test func exfiltrationIsBigOutboundOverUDP53() {
        let events = generateEvents(chaos: chaos(exfil: 0.2), chunks: 5).filter { $0.anomalies.contains(.exfiltration) }
        #expect(events.count > 3_000)
        let targets = NetworkModel.standard.exfiltrationTargets
        for event in events {
            #expect(event.transport == .udp && event.dstPort == 53 && event.appProtocol == .dns)
            #expect(event.bytesSent >= 10_000_000 && event.bytesSent < 60_000_000)
            #expect(event.bytesReceived < 500)
            #expect(event.flags.isEmpty)
            #expect(targets.contains { $0.contains(event.dstIP) })
        }
    }

    @Test func portScansAreBurstsOfSequentialPorts() throws {
        var config = chaos(scans: true)
        config.portScan.intervalSeconds = 10
        let events = generateEvents(chaos: config, chunks: 40)  // 163,840 slots = 32.8 s at 5000/s
        let probes = events.filter { $0.anomalies == .portScan }
        // Group consecutive probes into bursts by (source, target).
        var bursts: [[FlowEvent]] = []
        for probe in probes {
            if let last = bursts.last?.last, last.srcIP == probe.srcIP, last.dstIP == probe.dstIP, probe.dstPort == last.dstPort &+ 1 {
                bursts[bursts.count - 1].append(probe)
            } else {
                bursts.append([probe])
            }
        }
        // One burst per 10 s of event time: 3 whole periods and a partial fourth in 32.8 s.
        #expect((3...4).contains(bursts.count))
        #expect(probes.count == bursts.count * 100)
        #expect(Set(bursts.map { $0[0].srcIP }).count >= 1 && Set(bursts.map { $0[0].seq / 50_000 }).count == bursts.count)
        for burst in bursts {
            #expect(burst.count == 100)
            #expect(burst.allSatisfy { $0.flags == [.syn] && $0.bytesSent == 64 && $0.packetsSent == 1 && $0.transport == .tcp })
            // Probes are 2 ms of event time apart: 10 slots at 5000 events/s.
            #expect(zip(burst, burst.dropFirst()).allSatisfy { $1.seq - $0.seq == 10 })
        }
        // Normal traffic flows between the probes.
        let first = try #require(bursts.first)
        #expect(events.contains { $0.seq > first[0].seq && $0.seq < first[1].seq && $0.anomalies.isEmpty })
    }

    @Test func normalFlowsAreConsistent() {
        let events = generateEvents(chaos: chaos(), chunks: 25)
        #expect(events.allSatisfy { $0.anomalies.isEmpty })
        let tcp = events.filter { $0.transport == .tcp }
        let udp = events.filter { $0.transport == .udp }
        let icmp = events.filter { $0.transport == .icmp }
        #expect(tcp.count > events.count / 2 && udp.count > events.count / 20 && icmp.count > events.count / 100)
        for event in tcp {
            #expect(event.packetsSent >= 3)
            let perPacket = Double(event.bytesSent) / Double(event.packetsSent)
            #expect(perPacket >= 40 && perPacket <= 1_500)
            #expect(!event.flags.isEmpty && !event.flags.contains(.rst))
            #expect(event.srcPort >= 32_768)
        }
        #expect(udp.allSatisfy { $0.flags.isEmpty && $0.packetsSent >= 1 })
        #expect(icmp.allSatisfy { $0.flags.isEmpty && $0.srcPort == 0 && $0.dstPort == 0 })
        #expect(events.allSatisfy { $0.latencyMs >= 1 && $0.latencyMs <= 1_500 && $0.statusCode != 503 })
        // Heavy tail: the largest responses dwarf the median.
        let received = events.map(\.bytesReceived).sorted()
        #expect(received[received.count - 1] > 100 * received[received.count / 2])
        // Status codes: mostly 200, some errors.
        let http = events.filter { $0.appProtocol.isHTTP }
        let ok = Double(http.filter { $0.statusCode == 200 }.count) / Double(http.count)
        #expect(ok > 0.78 && ok < 0.86)
        #expect(http.contains { $0.statusCode == 404 } && http.contains { $0.statusCode == 500 })
        // Addresses come from the network model.
        let model = NetworkModel.standard
        for event in events.prefix(20_000) where event.appProtocol != .icmp {
            #expect(model.services.contains { service in service.networks.contains { $0.contains(event.dstIP) } })
        }
        // UUIDv4 bits.
        #expect(events.allSatisfy { ($0.eventID.high >> 12) & 0xf == 4 && $0.eventID.low >> 62 == 0b10 })
        #expect(Set(events.map(\.eventID.high)).count == events.count)
    }

    @Test func chunksDependOnlyOnSeedAndIndex() {
        let config = chaos(spike: 0.05, reset: 0.02, exfil: 0.01, malformed: 0.01, drop: 0.01, scans: true)
        let whole = generateEvents(chaos: config, chunks: 6)
        let tail = generateEvents(chaos: config, chunks: 3, firstChunk: 3)
        #expect(Array(whole.drop { $0.seq < 3 * Int64(FlowChunkGenerator.slotsPerChunk) }) == tail)
        #expect(generateEvents(chaos: config, chunks: 2, seed: 43) != Array(whole.prefix(generateEvents(chaos: config, chunks: 2, seed: 43).count)))
    }
}
