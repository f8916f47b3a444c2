import Foundation
import TelemetryModel

/// Turning a session into records: a flow window by window, a scan probe by probe.
extension FlowSimulation {
    /// TCP/IP headers per packet (with the timestamp option), UDP/IP, and ICMP echo sizes.
    static let tcpHeader = 52.0
    static let udpHeader = 28.0
    static let icmpPacket = 84.0

    /// When record `j` of `s` is reported (its last packet), in Unix milliseconds.
    @inline(__always)
    public func emitMs(_ s: Session, record j: Int) -> Int64 {
        switch s.shape {
        case .flow:
            return j == Int(s.records) - 1 ? s.startMs + s.durationMs : s.startMs + Int64(j + 1) * windowMs
        case .probes:
            let probe = self.probe(s, j)
            return probe.startMs + probe.answerMs
        case .campaign:
            return campaignEmitMs(s, j)
        }
    }

    /// What probe `j` of a scan hits and how it is answered.
    struct Probe {
        var startMs: Int64
        var target: UInt32
        var port: UInt16
        /// 0: dropped by a security group, 1: closed (RST), 2: open (SYN-ACK).
        var answer: Int
        var answerMs: Int64
    }

    @inline(__always)
    func probe(_ s: Session, _ j: Int) -> Probe {
        let plan = s.probePlan
        let perTarget = Int(plan.portsPerTarget)
        let target: UInt32
        switch plan.targets {
        case .single: target = plan.target
        case .servers: target = serverHosts[(j / perTarget) % serverHosts.count]
        case .scenario:
            let targets = scenarioPlan(Int(s.scenario)).targets
            target = targets[(j / perTarget) % targets.count]
        }
        let index = j % perTarget
        let port: UInt16
        switch plan.ports {
        case .sequential:
            port = plan.firstPort &+ UInt16(truncatingIfNeeded: index)
        case .common:
            let list = topPorts
            port = index < list.count ? list[index] : UInt16(truncatingIfNeeded: 1_024 + index)
        case .random:
            var rng = WyRand(seed: s.recordSeed, stream: 0x9047, index: UInt64(j))
            let u = rng.unit()
            port = rng.below(10) < 8 ? commonPorts[Int(Double(commonPorts.count) * u * u * u)] : UInt16(1 + rng.below(65_535))
        case .scenario:
            let ports = scenarioPlan(Int(s.scenario)).ports
            port = ports[index % ports.count]
        }
        let src = topology.hosts[Int(s.src)]
        let dstRole = Int(topology.hosts[Int(target)].role)  // (probes are few: the full table is fine)
        let endpoint = ServiceEndpoint(transport: plan.udp ? .udp : .tcp, port: port)
        let allowed = security.allows(from: Int(src.role), outside: !src.isInternal, to: dstRole, endpoint: endpoint)
        let answer = !allowed ? 0 : security.listens(role: dstRole, endpoint: endpoint) ? 2 : 1
        let start = s.startMs + Int64((Double(j) * s.spacingMs).nearest)
        let rtt = Int64(pathRTT(s.src, target).nearest)
        // A UDP probe nothing answers is retried after a second (closed ports answer with ICMP,
        // outside the flow).
        let answerMs: Int64 = plan.udp ? (answer == 2 ? rtt : 1_000) : answer == 0 ? (plan.synScan ? 0 : 1_000) : rtt
        return Probe(startMs: start, target: target, port: port, answer: answer, answerMs: answerMs)
    }

    /// Writes record `j` of `s` into `e` (every field but `seq`).
    public func render(_ s: Session, record j: Int, into e: inout FlowEvent) {
        // The session's record seed is already well mixed: one finalizer round per record.
        var rng = WyRand(seed: SeedMixer.finalize(s.recordSeed ^ (UInt64(j) &+ 1) &* 0x9e37_79b9_7f4a_7c15))
        e.eventID = (
            (rng.next() & 0xffff_ffff_ffff_0fff) | 0x0000_0000_0000_4000,
            (rng.next() & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000
        )
        e.queryName = .server
        switch s.shape {
        case .flow:
            fill(s, &e)
            renderFlow(s, j, &e, &rng)
            if s.app == .dns { e.queryName = queryName(s, e) }
        case .probes:
            fill(s, &e)
            renderProbe(s, j, &e)
        case .campaign:
            renderCampaign(s, j, &e, &rng)
        }
        e.sessionID = s.shape == .flow ? s.id : s.id + Int64(j & 0x3_FFFF)
        // The incident behind the record's anomalies: a failure shows as the reset; otherwise the
        // session's own (an attack, or its degraded server).
        e.incident = e.anomalies.isEmpty ? .none : e.anomalies.contains(.connectionReset) ? s.failure : s.incident
        // Chaos on the wire: the record is broken, or lost.
        e.malformation = nil
        e.dropped = false
        if chaosOn {
            if rng.chance(malformedChance) {
                let kind = MalformedKind(rawValue: UInt8(1 + rng.below(UInt64(MalformedKind.allCases.count))))!
                e.malformation = Malformation(kind: kind, variant: UInt32(truncatingIfNeeded: rng.next()))
                e.anomalies.insert(.malformed)
            }
            e.dropped = rng.chance(dropChance)
        }
    }

    /// What a DNS record's last query asked for. A tunnel's: its encoded data under its domain, as
    /// long as the query's size allows. Otherwise, through an internal resolver, a server of the
    /// network by name or a well-known outside name; to an outside resolver, outside names only;
    /// now and then a benign machine-made one (a CDN edge, an antivirus lookup in long base32
    /// labels), which easy mode leaves out. Drawn from the event id: no draw of the record's.
    @inline(never)
    func queryName(_ s: Session, _ e: FlowEvent) -> QueryName {
        if s.incident.family == .dnsTunnel {
            let name = min(QueryName.maxLength, Int(s.mss) - 28)
            return .tunnel(domainHost: s.queryDomain, labels: max(8, name - topology.hostName(Int(s.queryDomain)).utf8.count - 1))
        }
        let h = SeedMixer.finalize(e.eventID.high ^ 0x9a3e)
        let u = Double(h >> 11) * 0x1p-53
        let inside = topology.hosts[Int(s.dst)].isInternal
        let lookups = easy ? 0 : inside ? 0.04 : 0.12
        let g = SeedMixer.finalize(h)
        if u < lookups { return .lookup(Int(g % UInt64(QueryName.lookupStyles.count))) }
        if inside && u < lookups + 0.4 && !serverHosts.isEmpty { return .host(serverHosts[Int(g % UInt64(serverHosts.count))]) }
        let v = Double(g >> 11) * 0x1p-53
        return .popular(Int(Double(QueryName.popularDomains.count) * v * v * v))
    }

    /// The fields a record takes from its session as they are.
    @inline(__always)
    func fill(_ s: Session, _ e: inout FlowEvent) {
        e.srcHost = s.src
        e.dstHost = s.dst
        e.srcIP = tables.hosts[Int(s.src)].address
        e.dstIP = tables.hosts[Int(s.dst)].address
        e.srcPort = s.srcPort
        e.dstPort = s.dstPort
        e.transport = s.transport
        e.appProtocol = s.app
        e.appMethod = s.method
        e.statusCode = s.status
        e.rejected = false
        e.anomalies = s.anomalies
    }

    @inline(__always)
    func renderFlow(_ s: Session, _ j: Int, _ e: inout FlowEvent, _ rng: inout WyRand) {
        let last = j == Int(s.records) - 1
        let first = j == 0
        let segmentStart = s.startMs + Int64(j) * windowMs
        let segmentEnd = last ? s.startMs + s.durationMs : segmentStart + windowMs
        e.startMs = segmentStart
        e.endMs = segmentEnd
        let share = s.records == 1 ? 1 : Double(segmentEnd - segmentStart) / Double(max(s.durationMs, 1))
        var up = s.upBytes * share
        var down = s.downBytes * share
        if s.bursty && s.records > 1 {
            let upFactor = logNormal(&rng, median: 0.84, sigma: 0.6, range: 0...50)
            // A stream of queries: each is answered, so both ways vary together.
            let downFactor = s.transport == .udp ? upFactor : logNormal(&rng, median: 0.84, sigma: 0.6, range: 0...50)
            up *= upFactor
            down *= downFactor
            // Never more than the link carries in the window.
            let cap = 0.8 * linkBytesPerMs(s.src, s.dst) * Double(max(segmentEnd - segmentStart, 1))
            up = min(up, cap)
            down = min(down, cap)
        }
        up = up.nearest
        down = down.nearest
        if s.anomalyOnLastRecordOnly && !last { e.anomalies.remove(.connectionReset) }
        let answered = s.outcome != .unanswered
        let latency = s.bursty && s.records > 1 ? Double(s.latencyMs) * (0.8 + 0.45 * rng.unit()) : Double(s.latencyMs)
        e.latencyMs = answered ? Int32(max(1, latency.nearest)) : 0
        if s.app.isHTTP && s.bursty && !s.singleRequest && s.records > 1 && !(last && s.anomalyOnLastRecordOnly) && answered {
            e.statusCode = statuses[statusTable.pick(&rng)]
            e.appMethod = methods[methodTable.pick(&rng)]
        }
        if !answered { e.statusCode = 0 }
        switch s.transport {
        case .tcp:
            renderTCP(s, first: first, last: last, up: up, down: down, &e)
        case .udp:
            var queries: Double = s.outcome == .unanswered ? 2 : 1
            if s.records > 1 || s.bursty {
                // A stream of queries, window by window, `mss` bytes each and one answer per
                // query, the answers as much bigger or smaller as the session's are.
                queries = max(1, (up / Double(s.mss)).nearest)
                up = queries * Double(s.mss)
                down = (up * s.downBytes / max(s.upBytes, 1)).nearest
            }
            e.packetsSent = Int32(queries)
            e.packetsReceived = answered ? Int32(queries) : 0
            e.bytesSent = Int64(max(up, queries) + Self.udpHeader * queries)
            e.bytesReceived = answered ? Int64(max(down, queries) + Self.udpHeader * queries) : 0
            e.flags = []
            e.clientFlags = []
            e.serverFlags = []
        case .icmp:
            let pings = max(1, (up / 56).nearest)
            e.packetsSent = Int32(pings)
            e.packetsReceived = Int32(pings)
            e.bytesSent = Int64(pings * Self.icmpPacket)
            e.bytesReceived = Int64(pings * Self.icmpPacket)
            e.flags = []
            e.clientFlags = []
            e.serverFlags = []
        }
    }

    @inline(__always)
    func renderTCP(_ s: Session, first: Bool, last: Bool, up: Double, down: Double, _ e: inout FlowEvent) {
        switch s.outcome {
        case .refused:
            e.packetsSent = 1
            e.packetsReceived = 1
            e.bytesSent = 60
            e.bytesReceived = 40
            e.flags = [.syn, .rst, .ack]
            e.clientFlags = [.syn]
            e.serverFlags = [.rst, .ack]
            return
        case .unanswered:
            e.packetsSent = 3
            e.packetsReceived = 0
            e.bytesSent = 180
            e.bytesReceived = 0
            e.flags = [.syn]
            e.clientFlags = [.syn]
            e.serverFlags = []
            return
        default:
            break
        }
        let mss = Double(s.mss)
        let dataUp = (up / mss).ceiling
        let dataDown = (down / mss).ceiling
        // Delayed ACKs: one for every two full segments received.
        var sent = dataUp + (dataDown / 2).ceiling
        var received = dataDown + (dataUp / 2).ceiling
        var client: TCPFlags = []
        var server: TCPFlags = []
        if first {
            sent += 2  // SYN, ACK
            received += 1  // SYN-ACK
            client.insert(.syn)
            server.formUnion([.syn, .ack])
        }
        if last {
            switch s.outcome {
            case .clientReset:
                sent += 1
                client.insert(.rst)
            case .serverReset:
                received += 1
                server.insert(.rst)
            default:
                sent += 2  // FIN, last ACK
                received += 2
                client.insert(.fin)
                server.insert(.fin)
            }
        }
        // A quiet window of a long connection still carries keep-alives.
        sent = max(sent, 1)
        received = max(received, 1)
        client.insert(.ack)
        server.insert(.ack)
        if up > 0 { client.insert(.psh) }
        if down > 0 { server.insert(.psh) }
        e.packetsSent = Int32(min(sent, Double(Int32.max)))
        e.packetsReceived = Int32(min(received, Double(Int32.max)))
        e.bytesSent = Int64(up + Self.tcpHeader * sent)
        e.bytesReceived = Int64(down + Self.tcpHeader * received)
        e.clientFlags = client
        e.serverFlags = server
        e.flags = client.union(server)
    }

    @inline(__always)
    func renderProbe(_ s: Session, _ j: Int, _ e: inout FlowEvent) {
        let probe = self.probe(s, j)
        let syn = s.probePlan.synScan
        e.dstHost = probe.target
        e.dstIP = topology.hosts[Int(probe.target)].address
        e.dstPort = probe.port
        e.startMs = probe.startMs
        e.endMs = probe.startMs + probe.answerMs
        if s.probePlan.udp {
            // An empty datagram, sent twice when nothing answers; an open service answers once.
            e.rejected = probe.answer == 0
            e.packetsSent = probe.answer == 2 ? 1 : 2
            e.packetsReceived = probe.answer == 2 ? 1 : 0
            e.bytesSent = Int64(e.packetsSent) * Int64(Self.udpHeader)
            e.bytesReceived = probe.answer == 2 ? 28 + 48 : 0
            e.flags = []
            e.clientFlags = []
            e.serverFlags = []
            e.latencyMs = probe.answer == 2 ? Int32(max(1, probe.answerMs)) : 0
            return
        }
        if !syn {
            // connect(): the operating system picks a new source port for each attempt.
            let base = Int(s.srcPort)
            let windows = topology.hosts[Int(s.src)].windows
            let low = windows ? 49_152 : 32_768, span = windows ? 16_384 : 28_232
            e.srcPort = UInt16(low + (base - low + j) % span)
        }
        let synBytes: Int64 = syn ? 44 : 60
        switch probe.answer {
        case 0:
            e.rejected = true
            e.packetsSent = syn ? 1 : 2
            e.packetsReceived = 0
            e.bytesSent = synBytes * Int64(e.packetsSent)
            e.bytesReceived = 0
            e.flags = [.syn]
            e.clientFlags = [.syn]
            e.serverFlags = []
            e.latencyMs = 0
        case 1:
            e.packetsSent = 1
            e.packetsReceived = 1
            e.bytesSent = synBytes
            e.bytesReceived = 40
            e.flags = [.syn, .rst, .ack]
            e.clientFlags = [.syn]
            e.serverFlags = [.rst, .ack]
            e.latencyMs = Int32(max(1, probe.answerMs))
        default:
            e.packetsSent = syn ? 2 : 3
            e.packetsReceived = 1
            e.bytesSent = syn ? 44 + 40 : 60 + 52 + 40
            e.bytesReceived = synBytes
            e.flags = [.syn, .rst, .ack]
            e.clientFlags = syn ? [.syn, .rst] : [.syn, .ack, .rst]
            e.serverFlags = [.syn, .ack]
            e.latencyMs = Int32(max(1, probe.answerMs))
        }
    }
}
