import TelemetryModel

/// The packets of one flow record, in the order a capture point between client and server sees
/// them, computed one at a time: the client's SYN (retransmitted when nothing answers), the
/// server's SYN-ACK, the data of both sides interleaved in proportion, then FINs and RSTs. Each
/// direction's packets and IP bytes add up to the record's exactly: SYNs carry the options a
/// Linux stack sends when the bytes allow (a 60-byte SYN has 20 bytes of options), and the rest
/// is payload spread evenly over the packets that carry data. Sequence and acknowledgement
/// numbers continue the session's (``PcapSessionState``); packet times run evenly from the
/// record's first packet (`start_ms`) to its last (`end_ms`).
struct PcapFlight {
    /// One direction's packets.
    struct Side {
        var address: UInt32
        var port: UInt16
        var flags: TCPFlags
        /// Leading SYNs (several when a SYN is retransmitted unanswered), data packets, FIN, RST.
        var syn: Int32 = 0
        var data: Int32 = 0
        var fin: Int32 = 0
        var rst: Int32 = 0
        /// TCP options on each SYN (0, 4, 12 or 20 bytes).
        var optionBytes: Int32 = 0
        /// Which packets carry the payload: data and FIN packets; else the RST; else the SYNs.
        enum Carrier { case data, rst, syn }
        /// Payload bytes, spread over the first `carriers` packets of their kind.
        var payload: Int64 = 0
        var carriers: Int32 = 0
        var carrier = Carrier.data
        /// Packets sent so far, and carriers among them.
        var sent: Int32 = 0
        var carried: Int32 = 0
        /// The sequence number of the SYN, and the next one to send.
        var base: UInt32 = 0
        var next: UInt32 = 0
        var ipID: UInt16 = 0
        var icmpSeq: UInt16 = 0

        init(address: UInt32, port: UInt16, flags: TCPFlags) {
            self.address = address
            self.port = port
            self.flags = flags
        }

        /// Plans `packets` packets of `bytes` IP bytes with a `header` of IP and transport headers
        /// each; with a `minimumSegment`, fewer data packets carry the payload (at least that
        /// much each) and the rest are bare acknowledgements.
        mutating func plan(packets: Int32, bytes: Int64, header: Int64, tcp: Bool, minimumSegment: Int64 = 0) {
            guard packets > 0 else { return }
            payload = max(0, bytes - Int64(packets) * header)
            if tcp {
                let synOnly = flags.subtracting([.syn, .psh]).isEmpty && flags.contains(.syn)
                syn = flags.contains(.syn) ? (synOnly ? packets : 1) : 0
                fin = flags.contains(.fin) && packets - syn > 0 ? 1 : 0
                rst = flags.contains(.rst) && packets - syn - fin > 0 ? 1 : 0
                data = packets - syn - fin - rst
                // The options of a Linux SYN (MSS, SACK permitted, timestamps, window scale), or fewer.
                if syn > 0 {
                    optionBytes = [20, 12, 4, 0].first { Int64($0 * syn) <= payload }!
                    payload -= Int64(optionBytes * syn)
                }
            } else {
                data = packets
            }
            if data + fin > 0 {
                carriers = data + fin
                if minimumSegment > 0 { carriers = Int32(max(1, min(Int64(carriers), payload / minimumSegment))) }
            } else if rst > 0 {
                carriers = rst
                carrier = .rst
            } else {
                carriers = syn
                carrier = .syn
            }
        }

        /// Payload bytes of carrier `i`.
        func payload(carrier i: Int32) -> Int64 {
            guard carriers > 0 else { return 0 }
            let share = payload / Int64(carriers)
            return share + (Int64(i) < payload % Int64(carriers) ? 1 : 0)
        }

        /// Sequence space the record uses: the SYN, the payload, the FIN.
        var consumed: UInt32 {
            var total: Int64 = fin > 0 ? 1 : 0
            if syn > 0 { total += 1 + (carrier == .syn ? payload(carrier: 0) : 0) }
            if carrier != .syn { total += payload }
            return UInt32(truncatingIfNeeded: total)
        }

        var packets: Int32 { syn + data + fin + rst }
    }

    /// What the encoder writes for one packet.
    struct Packet {
        var timeUs: Int64
        var fromClient: Bool
        var flags: TCPFlags
        var seq: UInt32
        var ack: UInt32
        var payload: Int
        var optionBytes: Int
        var ipID: UInt16
        var icmpSeq: UInt16
    }

    var client: Side
    var server: Side
    var transport: TransportProtocol
    var startUs: Int64
    var endUs: Int64
    var total: Int32
    /// The next packet's position, and its time.
    var index: Int32 = 0
    var nextTimeUs: Int64
    var icmpID: UInt16
    /// Both ends of the session are in RFC 1918 space (their TTLs and MAC addresses differ from a
    /// host behind a router).
    var clientLocal: Bool
    var serverLocal: Bool
    /// DNS (port 53): packets carry queries and answers for the record's name (the fields that spell it).
    var isDNS: Bool
    var queryName: QueryName
    var nameSeed: UInt64
    var dstHost: UInt32

    init(_ e: FlowEvent, session: PcapSessionState) {
        transport = e.transport
        client = Side(address: e.srcIP.value, port: e.srcPort, flags: transport == .tcp ? e.clientFlags : [])
        server = Side(address: e.dstIP.value, port: e.dstPort, flags: transport == .tcp ? e.serverFlags : [])
        let header: Int64 = transport == .tcp ? 40 : 28
        let tcp = transport == .tcp
        // DNS over TCP: whole messages in a few segments, not a few bytes in each.
        let segment: Int64 = tcp && e.appProtocol == .dns ? 64 : 0
        client.plan(packets: max(0, e.packetsSent), bytes: e.bytesSent, header: header, tcp: tcp, minimumSegment: segment)
        server.plan(packets: max(0, e.packetsReceived), bytes: e.bytesReceived, header: header, tcp: tcp, minimumSegment: segment)
        client.base = session.clientNext
        client.next = session.clientNext
        server.base = session.serverNext
        server.next = session.serverNext
        client.ipID = session.clientIPID
        server.ipID = session.serverIPID
        client.icmpSeq = session.icmpSeq
        server.icmpSeq = session.icmpSeq
        icmpID = session.icmpID
        startUs = e.startMs * 1_000
        endUs = max(e.endMs, e.startMs) * 1_000
        total = client.packets + server.packets
        nextTimeUs = startUs
        clientLocal = e.srcIP.isPrivate
        serverLocal = e.dstIP.isPrivate
        isDNS = e.appProtocol == .dns && transport != .icmp
        queryName = e.queryName
        nameSeed = e.nameSeed
        dstHost = e.dstHost
    }

    /// The session after this record: sequence numbers, IP ids and ICMP sequence numbers carry on.
    func advance(_ session: inout PcapSessionState) {
        session.clientNext = client.base &+ client.consumed
        session.serverNext = server.base &+ server.consumed
        session.clientIPID = client.ipID &+ UInt16(truncatingIfNeeded: client.packets)
        session.serverIPID = server.ipID &+ UInt16(truncatingIfNeeded: server.packets)
        session.icmpSeq = client.icmpSeq &+ UInt16(truncatingIfNeeded: max(client.packets, server.packets))
    }

    var isDone: Bool { index >= total }

    /// Moves every packet's time later by `shift` µs (a record that came after packets later than
    /// its start were written), keeping its span.
    mutating func delay(by shift: Int64) {
        startUs += shift
        endUs += shift
        nextTimeUs += shift
    }

    /// The next packet, and advances to the one after.
    mutating func nextPacket() -> Packet {
        let k = index
        let fromClient: Bool
        var kind: TCPFlags  // .syn, [] (data), .fin or .rst
        if transport != .tcp {
            fromClient = Self.clientSends(at: k, client: client.data, server: server.data)
            kind = []
        } else if k < client.syn {
            (fromClient, kind) = (true, .syn)
        } else if k < client.syn + server.syn {
            (fromClient, kind) = (false, .syn)
        } else {
            let m = k - client.syn - server.syn
            let dataCount = client.data + server.data
            if m < dataCount {
                (fromClient, kind) = (Self.clientSends(at: m, client: client.data, server: server.data), [])
            } else {
                // Ends: client FIN, server FIN, client RST, server RST (each zero or one).
                var e = m - dataCount
                if e < client.fin { (fromClient, kind) = (true, .fin) } else {
                    e -= client.fin
                    if e < server.fin { (fromClient, kind) = (false, .fin) } else {
                        e -= server.fin
                        (fromClient, kind) = e < client.rst ? (true, .rst) : (false, .rst)
                    }
                }
            }
        }
        var packet = fromClient ? emit(side: &client, other: server, kind: kind, fromClient: true)
            : emit(side: &server, other: client, kind: kind, fromClient: false)
        packet.timeUs = nextTimeUs
        index += 1
        if index < total {
            nextTimeUs = startUs + (endUs - startUs) * Int64(index) / Int64(total - 1)
        }
        return packet
    }

    /// Whether data packet `m` of `client + server` interleaved in proportion is the client's
    /// (the client's first comes first).
    @inline(__always)
    static func clientSends(at m: Int32, client: Int32, server: Int32) -> Bool {
        let all = Int64(client) + Int64(server)
        func before(_ i: Int32) -> Int64 { (Int64(i) * Int64(client) + all - 1) / all }
        return before(m + 1) > before(m)
    }

    private func emit(side: inout Side, other: Side, kind: TCPFlags, fromClient: Bool) -> Packet {
        let ackFlag = side.flags.intersection(.ack)
        var packet = Packet(timeUs: 0, fromClient: fromClient, flags: [], seq: side.next, ack: 0, payload: 0, optionBytes: 0,
                            ipID: side.ipID &+ UInt16(truncatingIfNeeded: side.sent), icmpSeq: side.icmpSeq &+ UInt16(truncatingIfNeeded: side.sent))
        var carries: Bool
        switch kind {
        case .syn:
            let first = side.sent == 0
            packet.seq = side.base
            packet.optionBytes = Int(side.optionBytes)
            // A server's SYN acknowledges the client's; a client's SYN acknowledges nothing.
            packet.flags = fromClient ? .syn : TCPFlags.syn.union(ackFlag)
            carries = side.carrier == .syn
            if carries { packet.payload = Int(side.payload(carrier: side.carried)) }
            if first { side.next = side.base &+ 1 &+ UInt32(truncatingIfNeeded: packet.payload) }
        case .rst:
            packet.flags = TCPFlags.rst.union(ackFlag)
            carries = side.carrier == .rst
        default:
            packet.flags = kind.union(ackFlag)
            carries = side.carrier == .data && side.carried < side.carriers
        }
        if carries && kind != .syn {
            packet.payload = Int(side.payload(carrier: side.carried))
            side.next = side.next &+ UInt32(truncatingIfNeeded: packet.payload)
        }
        if kind == .fin { side.next = side.next &+ 1 }
        if carries { side.carried += 1 }
        if packet.payload > 0 && kind != .syn { packet.flags.formUnion(side.flags.intersection(.psh)) }
        if packet.flags.contains(.ack) { packet.ack = other.next }
        side.sent += 1
        return packet
    }
}
