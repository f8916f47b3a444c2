import Testing
@testable import TelemetryFormats
import TelemetryModel

/// The capture read back by a small reader of its own here (the e2e tests read it with tshark and
/// softflowd): record headers, Ethernet, IPv4 and TCP/UDP/ICMP, with every checksum recomputed.
@Suite("PCAP capture")
struct PcapCaptureTests {
    struct Packet {
        var timeUs: Int64
        var captured: Int
        var original: Int
        var source: UInt32
        var destination: UInt32
        var ipLength: Int
        var proto: UInt8
        var flags: TCPFlags
        var seq: UInt32
        var ack: UInt32
        var payload: Int
        var options: Int
        var checksumsGood: Bool
    }

    static func read(_ bytes: [UInt8], snaplen: Int) -> [Packet] {
        func be16(_ i: Int) -> Int { Int(bytes[i]) << 8 | Int(bytes[i + 1]) }
        func be32(_ i: Int) -> UInt32 { UInt32(be16(i)) << 16 | UInt32(be16(i + 2)) }
        func le32(_ i: Int) -> Int { Int(bytes[i]) | Int(bytes[i + 1]) << 8 | Int(bytes[i + 2]) << 16 | Int(bytes[i + 3]) << 24 }
        func sum(_ range: Range<Int>, _ initial: Int = 0) -> Int {
            var total = initial
            var i = range.lowerBound
            while i + 1 < range.upperBound {
                total += be16(i)
                i += 2
            }
            if i < range.upperBound { total += Int(bytes[i]) << 8 }
            while total > 0xFFFF { total = (total & 0xFFFF) + (total >> 16) }
            return total
        }
        #expect(le32(0) == 0xA1B2_C3D4 && le32(16) == snaplen && le32(20) == 1)
        var packets: [Packet] = []
        var at = 24
        while at < bytes.count {
            let captured = le32(at + 8)
            let frame = at + 16
            let ip = frame + 14
            #expect(be16(frame + 12) == 0x0800 && bytes[ip] == 0x45)
            let ipLength = be16(ip + 2)
            let proto = bytes[ip + 9]
            let l4 = ip + 20
            var packet = Packet(
                timeUs: Int64(le32(at)) * 1_000_000 + Int64(le32(at + 4)), captured: captured, original: le32(at + 12),
                source: be32(ip + 12), destination: be32(ip + 16), ipLength: ipLength, proto: proto, flags: [], seq: 0, ack: 0,
                payload: 0, options: 0, checksumsGood: sum(ip..<(ip + 20)) == 0xFFFF
            )
            if proto == 6 {
                let header = Int(bytes[l4 + 12] >> 4) * 4
                packet.seq = be32(l4 + 4)
                packet.ack = be32(l4 + 8)
                packet.flags = TCPFlags(rawValue: bytes[l4 + 13])
                packet.options = header - 20
                packet.payload = ipLength - 20 - header
            } else {
                packet.payload = ipLength - 28
            }
            // The transport checksum needs the whole packet: only when it was all captured.
            if captured == 14 + ipLength && proto != 1 {
                let length = ipLength - 20
                let pseudo = be16(ip + 12) + be16(ip + 14) + be16(ip + 16) + be16(ip + 18) + Int(proto) + length
                packet.checksumsGood = packet.checksumsGood && sum(l4..<(l4 + length), pseudo) == 0xFFFF
            } else if captured == 14 + ipLength {
                packet.checksumsGood = packet.checksumsGood && sum(l4..<(ip + ipLength)) == 0xFFFF
            }
            packets.append(packet)
            at = frame + captured
        }
        #expect(at == bytes.count)
        return packets
    }

    static func record(session: Int64, startMs: Int64, endMs: Int64, client: TCPFlags, server: TCPFlags, sent: Int32 = 6, received: Int32 = 5) -> FlowEvent {
        var e = FlowEvent()
        e.sessionID = session
        e.srcIP = IPv4Address(0x0A00_0001)
        e.dstIP = IPv4Address(0x0A00_0202)
        e.srcPort = 40_000
        e.dstPort = 443
        e.transport = .tcp
        e.appProtocol = .tls
        e.packetsSent = sent
        e.bytesSent = Int64(sent) * 40 + 20 + 1_001
        e.packetsReceived = received
        e.bytesReceived = Int64(received) * 40 + (received > 0 ? 20 + 3_003 : 0)
        e.startMs = startMs
        e.endMs = endMs
        e.clientFlags = client
        e.serverFlags = server
        return e
    }

    static func capture(_ events: [FlowEvent], snaplen: Int = 262_144) -> [Packet] {
        let capture = PcapCapture(snaplen: snaplen, windowMs: 60_000, vocabulary: nil)
        var out = WriteBuffer(capacity: 1_024)
        out.append(PcapCapture.fileHeader(snaplen: snaplen))
        for e in events {
            capture.add(e)
            let more1 = capture.write(into: &out)
            #expect(!more1)
        }
        capture.finish()
        let more2 = capture.write(into: &out)
        #expect(!more2)
        return read(out.withBytes { Array($0) }, snaplen: snaplen)
    }

    @Test("a session over two records: handshake, data, teardown; packets and IP bytes add up; sequence numbers run on")
    func sessionAcrossRecords() {
        let first = Self.record(session: 7, startMs: 1_000, endMs: 61_000, client: [.syn, .ack, .psh], server: [.syn, .ack, .psh])
        let second = Self.record(session: 7, startMs: 61_000, endMs: 90_000, client: [.ack, .psh, .fin], server: [.ack, .psh, .fin])
        let packets = Self.capture([first, second])
        #expect(packets.count == 22)
        let check1 = packets.allSatisfy(\.checksumsGood)
        #expect(check1)
        let check2 = zip(packets, packets.dropFirst()).allSatisfy { $0.timeUs <= $1.timeUs }
        #expect(check2)
        #expect(packets.first?.timeUs == 1_000_000 && packets.last?.timeUs == 90_000_000)
        let client = packets.filter { $0.source == 0x0A00_0001 }
        let server = packets.filter { $0.source == 0x0A00_0202 }
        #expect(client.count == 12 && server.count == 10)
        #expect(client.map(\.ipLength).reduce(0, +) == Int(first.bytesSent + second.bytesSent))
        #expect(server.map(\.ipLength).reduce(0, +) == Int(first.bytesReceived + second.bytesReceived))
        // SYN with Linux's 20 bytes of options, SYN-ACK acknowledging it, then the client's ACK.
        #expect(packets[0].flags == .syn && packets[0].options == 20 && packets[0].payload == 0)
        #expect(packets[1].flags == [.syn, .ack] && packets[1].ack == packets[0].seq &+ 1)
        // Each side's sequence numbers advance by its payload (and one for SYN and FIN), across both records.
        for side in [client, server] {
            for (a, b) in zip(side, side.dropFirst()) {
                let used = UInt32(a.payload) &+ (a.flags.contains(.syn) || a.flags.contains(.fin) ? 1 : 0)
                #expect(b.seq == a.seq &+ used)
            }
            #expect(side.last?.flags.contains(.fin) == true)
        }
        // Every acknowledgement is of what the other side had sent by then.
        for (i, p) in packets.enumerated() where p.flags.contains(.ack) {
            let other = packets[..<i].last { $0.source != p.source }
            if let other {
                #expect(p.ack == other.seq &+ UInt32(other.payload) &+ (other.flags.contains(.syn) || other.flags.contains(.fin) ? 1 : 0))
            }
        }
    }

    @Test("an unanswered SYN is retransmitted with the same sequence number; a refused one is answered with RST")
    func refused() {
        var unanswered = Self.record(session: 8, startMs: 0, endMs: 3_000, client: .syn, server: [], sent: 3, received: 0)
        unanswered.bytesSent = 180
        let packets = Self.capture([unanswered])
        #expect(packets.map(\.flags) == [.syn, .syn, .syn] && Set(packets.map(\.seq)).count == 1)
        let check3 = packets.map(\.ipLength) == [60, 60, 60] && packets.allSatisfy { $0.options == 20 }
        #expect(check3)
        var rejected = Self.record(session: 9, startMs: 0, endMs: 1, client: .syn, server: [.rst, .ack], sent: 1, received: 1)
        rejected.bytesSent = 44
        rejected.bytesReceived = 40
        let answer = Self.capture([rejected])
        #expect(answer.map(\.flags) == [.syn, [.rst, .ack]] && answer[0].options == 4 && answer[1].ack == answer[0].seq &+ 1)
    }

    @Test("records that overlap come out as one capture in time order, each packet written once no later record can precede it")
    func timeOrder() {
        let capture = PcapCapture(snaplen: 96, windowMs: 60_000, vocabulary: nil)
        var out = WriteBuffer(capacity: 1_024)
        out.append(PcapCapture.fileHeader(snaplen: 96))
        capture.add(Self.record(session: 1, startMs: 0, endMs: 60_000, client: .ack, server: .ack))
        capture.add(Self.record(session: 2, startMs: 30_000, endMs: 61_000, client: .ack, server: .ack))
        let more3 = capture.write(into: &out)
        #expect(!more3)
        // A later record may still start at the first one's start: nothing is written yet.
        #expect(out.count == 24)
        capture.add(Self.record(session: 3, startMs: 100_000, endMs: 130_000, client: .ack, server: .ack))
        // A budget stops the writing at a packet boundary; the next call goes on.
        let more4 = capture.write(into: &out, budget: 100)
        #expect(more4)
        #expect(out.count > 100 && out.count < 300)
        let more5 = capture.write(into: &out)
        #expect(!more5)
        let early = Self.read(out.withBytes { Array($0) }, snaplen: 96)
        let check4 = !early.isEmpty && early.allSatisfy { $0.timeUs < 69_000_000 }
        #expect(check4)
        capture.finish()
        let more6 = capture.write(into: &out)
        #expect(!more6)
        let packets = Self.read(out.withBytes { Array($0) }, snaplen: 96)
        #expect(packets.count == 33 && capture.packets == 33 && capture.delayedRecords == 0)
        let check5 = zip(packets, packets.dropFirst()).allSatisfy { $0.timeUs <= $1.timeUs }
        #expect(check5)
        // Snapshot length: 96 bytes kept, the original length recorded.
        let check6 = packets.allSatisfy { $0.captured == min(96, $0.original) && $0.original == 14 + $0.ipLength }
        #expect(check6)
    }

    @Test("a record that comes after later packets were written is moved after them: the capture stays in time order")
    func lateRecord() {
        let capture = PcapCapture(snaplen: 96, windowMs: 60_000, vocabulary: nil)
        var out = WriteBuffer(capacity: 1_024)
        out.append(PcapCapture.fileHeader(snaplen: 96))
        capture.add(Self.record(session: 1, startMs: 0, endMs: 60_000, client: .ack, server: .ack))
        capture.add(Self.record(session: 2, startMs: 100_000, endMs: 200_000, client: .ack, server: .ack))
        let more1 = capture.write(into: &out)
        #expect(!more1)
        // Out of order: starts before packets already written (up to 139 s).
        capture.add(Self.record(session: 3, startMs: 50_000, endMs: 55_000, client: .ack, server: .ack))
        capture.finish()
        let more2 = capture.write(into: &out)
        #expect(!more2)
        let packets = Self.read(out.withBytes { Array($0) }, snaplen: 96)
        let ordered = zip(packets, packets.dropFirst()).allSatisfy { $0.timeUs <= $1.timeUs }
        #expect(packets.count == 33 && ordered && capture.delayedRecords == 1)
    }

    @Test("UDP and ICMP: datagrams and echoes with their checksums; client first")
    func datagrams() {
        var dns = Self.record(session: 3, startMs: 0, endMs: 100, client: [], server: [], sent: 2, received: 2)
        dns.transport = .udp
        dns.bytesSent = 2 * 28 + 70
        dns.bytesReceived = 2 * 28 + 301
        var ping = dns
        ping.sessionID = 4
        ping.transport = .icmp
        ping.bytesSent = 168
        ping.bytesReceived = 168
        let packets = Self.capture([dns, ping])
        let check7 = packets.count == 8 && packets.allSatisfy(\.checksumsGood)
        #expect(check7)
        #expect(packets.filter { $0.proto == 17 }.map(\.ipLength) == [63, 179, 63, 178])
        #expect(packets.filter { $0.proto == 1 }.map(\.ipLength) == [84, 84, 84, 84])
        #expect(packets.first?.source == 0x0A00_0001)
    }

    struct DNSMessage {
        var response: Bool
        var questions: Int
        var answers: Int
        var name: String
    }

    /// Parses a DNS message, which must end exactly at its last record.
    static func parseDNS(_ b: [UInt8]) -> DNSMessage? {
        func u16(_ i: Int) -> Int { Int(b[i]) << 8 | Int(b[i + 1]) }
        guard b.count >= 12 else { return nil }
        var message = DNSMessage(response: b[2] & 0x80 != 0, questions: u16(4), answers: u16(6), name: "")
        var at = 12
        guard message.questions > 0 else { return b[12...].allSatisfy { $0 == 0 } ? message : nil }
        var labels: [String] = []
        while b[at] != 0 {
            labels.append(String(decoding: b[(at + 1)..<(at + 1 + Int(b[at]))], as: UTF8.self))
            at += 1 + Int(b[at])
        }
        message.name = labels.joined(separator: ".")
        at += 5
        for _ in 0..<message.answers {
            guard u16(at) == 0xC00C, u16(at + 10) == 4 else { return nil }
            at += 16
        }
        if u16(10) == 1 {
            // An OPT record: empty, or one Padding option filling the rest.
            guard b[at] == 0, u16(at + 1) == 41, u16(at + 9) == b.count - at - 11 else { return nil }
            if u16(at + 9) > 0 {
                guard u16(at + 11) == 12, u16(at + 13) == b.count - at - 15 else { return nil }
            }
            at = b.count
        }
        return at == b.count ? message : nil
    }

    @Test("DNS messages of every length from 12 to 1,500 bytes parse to their last byte, asking for the record's name when it fits")
    func dnsMessages() {
        let name = Array("objects.githubusercontent.com".utf8)
        for length in 12...1_500 {
            for response in [false, true] {
                var bytes = [UInt8](repeating: 0xEE, count: length)
                let written = bytes.withUnsafeMutableBufferPointer { out in
                    name.withUnsafeBufferPointer { PcapDNSMessage.write(out.baseAddress!, length: length, name: $0, response: response, id: 0x1234) }
                }
                #expect(written, "length \(length) response \(response)")
                let message = Self.parseDNS(bytes)
                #expect(message?.response == response, "length \(length)")
                guard let message, length >= 17 else { continue }
                // The record's name, or its last labels when the room is short, after a filler label when it is a byte or two long.
                var labels = message.name.split(separator: ".").map(String.init)
                if labels.first?.allSatisfy({ $0 == "x" }) == true { labels.removeFirst() }
                if let first = labels.first, first.hasSuffix("x") { labels[0] = String(first.dropLast()) }
                let real = "objects.githubusercontent.com"
                #expect(real.hasSuffix(labels.joined(separator: ".")), "length \(length)")
                if !response && (length == 47 || length >= 62) { #expect(message.name == real, "length \(length)") }
                if response && length >= 47 + 32 { #expect(message.answers >= 1, "length \(length)") }
            }
        }
    }
}
