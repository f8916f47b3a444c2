import Testing
import TelemetryFormats
import TelemetryModel

/// The export packets read back field by field: headers, sets, templates, records.
@Suite("NetFlow v9 and IPFIX packets")
struct NetFlowPacketizerTests {
    struct Packet {
        var bytes: [UInt8]
        func u16(_ at: Int) -> Int { Int(bytes[at]) << 8 | Int(bytes[at + 1]) }
        func u32(_ at: Int) -> Int { u16(at) << 16 | u16(at + 2) }
        /// (set id, offset, length) of every set after the header.
        func sets(headerLength: Int) -> [(id: Int, offset: Int, length: Int)] {
            var out: [(Int, Int, Int)] = []
            var at = headerLength
            while at + 4 <= bytes.count {
                let length = u16(at + 2)
                guard length >= 4 else { break }
                out.append((u16(at), at, length))
                at += length
            }
            return out
        }
    }

    static func event(_ n: Int, startMs: Int64 = 1_795_334_400_000, received: Int32 = 5) -> FlowEvent {
        var e = FlowEvent()
        e.srcIP = IPv4Address(0x0A00_0001 + UInt32(n))
        e.dstIP = IPv4Address(0x0A00_1001)
        e.srcPort = UInt16(40_000 + n % 20_000)
        e.dstPort = 443
        e.transport = .tcp
        e.packetsSent = 10
        e.bytesSent = 1_000 + Int64(n)
        e.packetsReceived = received
        e.bytesReceived = Int64(received) * 100
        e.startMs = startMs + Int64(n)
        e.endMs = startMs + Int64(n) + 500
        e.clientFlags = [.syn, .ack]
        e.serverFlags = [.syn, .ack, .fin]
        e.eventID = (UInt64(n) &* 0x9E37_79B9_7F4A_7C15, UInt64(n))
        e.seq = Int64(n)
        return e
    }

    static func export(_ options: NetFlowExportOptions, events: [FlowEvent]) -> (packets: [Packet], packetizer: NetFlowPacketizer) {
        let packetizer = NetFlowPacketizer(options: options)
        var packets: [Packet] = []
        for e in events { packetizer.add(e) { packets.append(Packet(bytes: Array($0))) } }
        packetizer.flush { packets.append(Packet(bytes: Array($0))) }
        return (packets, packetizer)
    }

    @Test("v9: packets within the MTU, the header's count is every record, the sequence counts packets, flows one per direction", arguments: [600, 1_400])
    func v9(mtu: Int) {
        let events = (0..<2_000).map { Self.event($0, received: $0 % 4 == 0 ? 0 : 5) }
        let (packets, packetizer) = Self.export(NetFlowExportOptions(version: .v9, maxPacketBytes: mtu, templateRefreshPackets: 10, bootMs: 1_795_330_000_000), events: events)
        #expect(packetizer.flows == 2_000 + 1_500)
        var flows = 0
        for (n, packet) in packets.enumerated() {
            #expect(packet.bytes.count <= mtu)
            #expect(packet.u16(0) == 9 && packet.u32(12) == n && packet.u32(16) == 1)
            var records = 0
            for set in packet.sets(headerLength: 20) {
                switch set.id {
                case 0: records += 1  // the flow template
                case 1: records += 1  // the options template
                case 257: records += 1  // the options record
                case 256:
                    let count = (set.length - 4) / 55
                    records += count
                    flows += count
                default: Issue.record("unexpected set \(set.id)")
                }
            }
            #expect(packet.u16(2) == records, "packet \(n)")
            #expect(packet.sets(headerLength: 20).contains { $0.id == 0 } == (n % 10 == 0), "templates every 10 packets: packet \(n)")
        }
        #expect(flows == 3_500)
        // The first flow: client to server, its flags, packets, bytes, first/last from boot.
        let first = packets[0]
        let data = first.sets(headerLength: 20).first { $0.id == 256 }!.offset + 4
        #expect(first.u32(data) == 0x0A00_0001 && first.u32(data + 4) == 0x0A00_1001)
        #expect(first.u16(data + 8) == 40_000 && first.u16(data + 10) == 443 && first.bytes[data + 12] == 6)
        #expect(first.bytes[data + 14] == TCPFlags([.syn, .ack]).rawValue)
        #expect(first.u32(data + 31) == 1_795_334_400_000 - 1_795_330_000_000 && first.u32(data + 35) == first.u32(data + 31) + 500)
        // The header's sysUpTime and Unix seconds are taken at the same whole second.
        #expect(first.u32(8) * 1_000 - 1_795_330_000_000 == first.u32(4))
    }

    @Test("IPFIX: the length field is the message, the sequence counts data records before it, ground truth rides in enterprise fields")
    func ipfix() {
        var events = (0..<1_000).map { Self.event($0) }
        events[3].anomalies = [.portScan]
        events[3].incident = IncidentID(family: .portScan, number: 7)
        let (packets, packetizer) = Self.export(NetFlowExportOptions(version: .ipfix, maxPacketBytes: 1_000), events: events)
        #expect(packetizer.flows == 2_000)
        var sequence = 0
        var sawTruth = false
        for packet in packets {
            #expect(packet.bytes.count <= 1_000 && packet.u16(0) == 10 && packet.u16(2) == packet.bytes.count)
            #expect(packet.u32(8) == sequence)
            for set in packet.sets(headerLength: 16) where set.id == 256 {
                var at = set.offset + 4
                while at + 64 < set.offset + set.length {
                    var text: [String] = []
                    var p = at + 64
                    for _ in 0..<3 {
                        let n = Int(packet.bytes[p])
                        text.append(String(decoding: packet.bytes[(p + 1)..<(p + 1 + n)], as: UTF8.self))
                        p += 1 + n
                    }
                    if text[0] == "port_scan" {
                        #expect(text[1] == IncidentID(family: .portScan, number: 7).text && text[2] == IncidentFamily.portScan.technique!.description)
                        sawTruth = true
                    } else {
                        #expect(text == ["normal", "", ""])
                    }
                    sequence += 1
                    at = p
                }
            }
            // No options record without sampling (nfdump would take it for a gap).
            #expect(!packet.sets(headerLength: 16).contains { $0.id == 3 || $0.id == 257 })
        }
        #expect(sequence == 2_000 && sawTruth)
    }

    @Test("templates come back after the time asked, sampling keeps 1 in N and says so, dropped records and empty directions make no flow")
    func refreshSamplingAndOmissions() {
        // Two bursts ten minutes apart: the second opens with templates again (refresh 60 s).
        let events = (0..<40).map { Self.event($0) } + (0..<40).map { Self.event($0, startMs: 1_795_335_000_000) }
        let (packets, _) = Self.export(NetFlowExportOptions(version: .v9, templateRefreshPackets: 1_000, templateRefreshSeconds: 60), events: events)
        let withTemplates = packets.filter { $0.sets(headerLength: 20).contains { $0.id == 0 } }
        #expect(packets.count >= 2 && withTemplates.count == 2)

        let sampled = Self.export(NetFlowExportOptions(version: .ipfix, samplingInterval: 4), events: (0..<4_000).map { Self.event($0) })
        #expect(sampled.packetizer.flows == 2_000)  // eventID.low = n: exactly every fourth record
        let options = sampled.packets[0].sets(headerLength: 16).first { $0.id == 257 }!
        #expect(sampled.packets[0].u32(options.offset + 8) == 4)

        var dropped = Self.event(1)
        dropped.dropped = true
        let silent = Self.event(2, received: 0)
        let (_, packetizer) = Self.export(NetFlowExportOptions(), events: [dropped, silent])
        #expect(packetizer.flows == 1)
    }
}
