import Foundation
import TelemetryModel

/// Drawing sessions: each is a pure function of the seed, its shard, process, number and start.
extension FlowSimulation {
    /// Session numbers at or above this are sessions already running when the run starts.
    static let warmBit: UInt64 = 1 << 37
    /// Session numbers with this bit are short sessions started before the run (see
    /// ``ShardSimulator``'s warm start).
    static let lookbackBit: UInt64 = 1 << 36
    static let counterMask: UInt64 = (1 << 38) - 1

    /// `session_id`: shard, process and number, below 2^53 so that every JSON reader keeps it exact.
    @inline(__always)
    static func sessionID(shard: Int, process: Int, counter: UInt64) -> Int64 {
        Int64(shard) << 46 | Int64(process) << 38 | Int64(counter & counterMask)
    }

    /// Each probe of a scan is a flow of its own: bit 52 set, shard, process, 20 bits of the scan's
    /// number and 18 of the probe's (``FlowSimulation/render(_:record:into:)`` adds the probe).
    @inline(__always)
    static func scanID(shard: Int, process: Int, counter: UInt64) -> Int64 {
        1 << 52 | Int64(shard) << 46 | Int64(process) << 38 | Int64(counter & 0xF_FFFF) << 18
    }

    static let httpMethods: [(AppMethod, Double)] = [
        (.get, 70), (.post, 18), (.put, 5), (.delete, 2), (.patch, 2), (.head, 2), (.options, 1),
    ]
    static let httpStatuses: [(Int16, Double)] = [
        (200, 82), (201, 3), (204, 3), (301, 1), (302, 2), (304, 4), (400, 1.5), (401, 0.8), (403, 0.7),
        (404, 1.5), (500, 0.3), (502, 0.2), (503, 0.15),
    ]
    static let methodTable = WeightedTable(weights: httpMethods.map(\.1))
    static let statusTable = WeightedTable(weights: httpStatuses.map(\.1))

    /// Draws the session `counter` of `process` in `shard`, started at `startMs`.
    public func session(process p: Int, shard: Int, counter: UInt64, startMs: Int64) -> Session {
        var rng = WyRand(seed: settings.seed, stream: 0x5e55_0000 | UInt64(shard) << 8 | UInt64(p), index: counter)
        var s = Session()
        s.id = Self.sessionID(shard: shard, process: p, counter: counter)
        s.startMs = startMs
        s.recordSeed = rng.next()
        let warm = counter & Self.warmBit != 0
        let sources = tables.source(shard: shard, process: p)
        switch processes[p].kind {
        case .edge(let e): makeEdgeSession(&s, edge: e, sources: sources, warm: warm, rng: &rng)
        case .exfiltration: makeExfiltration(&s, sources: sources, warm: warm, rng: &rng)
        case .portScan:
            s.id = Self.scanID(shard: shard, process: p, counter: counter)
            makeScanBurst(&s, sources: sources, rng: &rng)
        case .internetNoise:
            s.id = Self.scanID(shard: shard, process: p, counter: counter)
            makeNoiseVisit(&s, sources: sources, rng: &rng)
        case .vulnerabilityScan:
            // Scans are daily: the day and the scanner, in 20 bits.
            s.id = Self.scanID(shard: shard, process: p, counter: (counter >> 20) << 4 | (counter & 0xF))
            makeVulnerabilityScan(&s, host: tables.arena[Int(sources.offset) + Int(counter & 0xFFFFF)].value, rng: &rng)
        case .backup: makeBackup(&s, host: tables.arena[Int(sources.offset) + Int(counter & 0xFFFFF)].value, rng: &rng)
        case .scenario(let i):
            s.id = Self.scanID(shard: shard, process: p, counter: counter)
            makeScenario(&s, index: i, occurrence: counter, rng: &rng)
        }
        return s
    }

    // MARK: - Paths

    @inline(__always)
    func pick(_ sources: AliasSpan, _ rng: inout WyRand) -> UInt32 { tables.pick(sources, &rng) }

    /// Round trip between two hosts: inside one VPC a fraction of a millisecond, between VPCs of a
    /// region about one, across regions tens; outside hosts bring their own distance.
    @inline(__always)
    func pathRTT(_ a: UInt32, _ b: UInt32) -> Double {
        let t = tables
        let ha = t.hosts[Int(a)], hb = t.hosts[Int(b)]
        var rtt = ha.rttMs + hb.rttMs
        if ha.vpc >= 0 && hb.vpc >= 0 { rtt += t.vpcRTT[Int(ha.vpc) * t.vpcCount + Int(hb.vpc)] }
        return Double(rtt)
    }

    /// Bytes per millisecond a transfer between two hosts reaches: part of the slower link.
    @inline(__always)
    func throughput(_ a: UInt32, _ b: UInt32, _ rng: inout WyRand) -> Double {
        linkBytesPerMs(a, b) * (0.2 + 0.65 * rng.unit())
    }

    /// The link of the slower host, bytes per millisecond.
    @inline(__always)
    func linkBytesPerMs(_ a: UInt32, _ b: UInt32) -> Double {
        Double(min(tables.hosts[Int(a)].linkMbps, tables.hosts[Int(b)].linkMbps)) * 125
    }

    @inline(__always)
    func ephemeralPort(_ host: UInt32, _ rng: inout WyRand) -> UInt16 {
        tables.hosts[Int(host)].windows ? UInt16(49_152 + rng.below(16_384)) : UInt16(32_768 + rng.below(28_232))
    }

    /// Segment payload: full-size frames inside the VPCs, a little less across the internet.
    @inline(__always)
    func mss(_ a: UInt32, _ b: UInt32) -> UInt16 {
        tables.hosts[Int(a)].vpc >= 0 && tables.hosts[Int(b)].vpc >= 0 ? 1_448 : 1_380
    }

    /// How much slower a role's servers answer at this moment: 1 at the quietest hour, up to
    /// `slow_at_peak` at the busiest.
    @inline(__always)
    func slowFactor(role: Int, atMs: Int64) -> Double {
        guard !tables.curveFlat[role], background.slowAtPeak > 1 else { return 1 }
        let low = roleCurves[role].minimum, high = roleCurves[role].maximum
        let position = min(1, max(0, (tables.curve(role: role, atMs: atMs) - low) / max(high - low, 1e-9)))
        return 1 + (background.slowAtPeak - 1) * position * position * position
    }

    // MARK: - Traffic of the declared network

    func makeEdgeSession(_ s: inout Session, edge index: Int, sources: AliasSpan, warm: Bool, rng: inout WyRand) {
        let edge = tables.edges[index]
        let fromKind = edge.fromKind
        let toKind = edge.toKind
        let src = pick(sources, &rng)
        let dst = tables.pick(tables.serverPick[Int(edge.to)], &rng)
        let which = Int(edge.endpointOffset) + Int(warm && edge.runningPick.count > 0 ? tables.pick(edge.runningPick, &rng) : tables.pick(edge.endpointPick, &rng))
        let endpoint = tables.endpoints[which]
        s.src = src
        s.dst = dst
        s.transport = endpoint.transport
        s.dstPort = endpoint.port
        s.srcPort = endpoint.transport == .icmp ? 0 : ephemeralPort(src, &rng)
        var app = endpoint.appProtocol
        let profile = tables.profiles[which]
        // Browsers still speak HTTP/1.1 over TLS to some servers (the session is the same).
        if app == .http2 && (fromKind == .workstation || fromKind == .internet) && rng.below(10) < 3 { app = .http11 }
        s.app = app
        s.mss = mss(src, dst)
        let rtt = pathRTT(src, dst)
        var server = toKind.serverTimeMs * logNormal(&rng, median: 1, sigma: 0.6, range: 0.1...50) * slowFactor(role: Int(edge.to), atMs: warm ? settings.startMs : s.startMs)
        let bytesPerMs = throughput(src, dst, &rng)
        let link = linkBytesPerMs(src, dst)
        s.method = Self.defaultMethod(app)
        if app.isHTTP {
            s.method = methods[methodTable.pick(&rng)]
            s.status = statuses[statusTable.pick(&rng)]
        }

        // How the session goes.
        let outcomeDraw = rng.unit()
        if endpoint.transport == .tcp && !warm {
            if outcomeDraw < background.refusedShare {
                finishRefused(&s, rtt: rtt)
                return
            }
            if outcomeDraw < background.refusedShare + background.timeoutShare {
                finishUnanswered(&s)
                return
            }
        } else if endpoint.transport == .udp && !warm && outcomeDraw < background.timeoutShare {
            finishUnanswered(&s)
            return
        }

        let long = warm || (profile.longShare > 0 && rng.unit() < profile.longShare)
        var duration: Double
        if long {
            duration = ClampedLogNormal.draw(&rng, median: profile.longMedianMs, sigma: profile.longSigma, range: profile.longRange, lengthBiased: warm)
            let upRate = min(logNormal(&rng, median: profile.upRate.median, sigma: profile.upRate.sigma, range: 1...1e10) / 1_000, 0.3 * link)
            let downRate = min(logNormal(&rng, median: profile.downRate.median, sigma: profile.downRate.sigma, range: 1...1e10) / 1_000, 0.3 * link)
            s.upBytes = upRate * duration
            s.downBytes = downRate * duration
            s.bursty = true
        } else {
            switch app {
            case .dns:
                let longName = rng.unit() < background.dnsLongNameShare
                let txt = rng.unit() < background.dnsTXTShare
                let name = longName ? 100 + Double(rng.below(150)) : 14 + Double(rng.below(46))
                s.upBytes = 12 + name + 4 + 11
                s.downBytes = s.upBytes + (txt ? 180 + Double(rng.below(1_000)) : Double(16 * (1 + rng.below(6))))
                if endpoint.transport == .tcp { s.downBytes += Double(rng.below(3_000)) }
                s.method = txt ? .txt : .query
                duration = rtt + server
            case .ntp:
                s.upBytes = 48
                s.downBytes = 48
                duration = rtt + server
            case .icmp:
                let pings = 1 + Double(rng.below(5))
                s.upBytes = 56 * pings
                s.downBytes = 56 * pings
                duration = (pings - 1) * 1_000 + rtt
            default:
                if toKind == .storage && fromKind == .workstation && rng.unit() < background.largeUploadShare {
                    // A large upload: tens of megabytes at what the link gives.
                    let size = logNormal(&rng, median: 40e6, sigma: 1.0, range: 5e6...500e6)
                    s.upBytes = size
                    s.downBytes = 2_000 + size * 0.004
                    s.method = rng.below(2) == 0 ? .put : .post
                    s.status = 200
                    s.singleRequest = true
                    duration = 1.5 * rtt + rtt + size / min(bytesPerMs, 0.8 * link) + server
                } else {
                    let exchange = ShortExchange(app: app, profile: profile, rttMs: rtt, serverMs: server, bytesPerMs: bytesPerMs, normal: normal, rng: &rng)
                    s.upBytes = exchange.upBytes
                    s.downBytes = exchange.downBytes
                    duration = exchange.durationMs
                }
            }
        }
        s.outcome = .closed
        s.latencyMs = Float(rtt + server)
        // The last packet comes after the first answer (and, over TCP, its acknowledgement).
        let firstAnswer = rtt + server
        duration = max(duration, firstAnswer + (endpoint.transport == .tcp ? 0.5 * rtt : 0))

        // Normal resets: one side ends the connection with RST, part way through the transfer.
        if endpoint.transport == .tcp && rng.unit() < background.resetShare {
            s.outcome = rng.below(2) == 0 ? .clientReset : .serverReset
            let cut = 0.3 + 0.7 * rng.unit()
            duration = firstAnswer + (duration - firstAnswer) * cut
            s.upBytes *= cut
            s.downBytes *= cut
        }
        // The incidents the server is in when the session starts, if any: a degraded server
        // answers slower, a failing one does not serve some of its sessions (a server can be both
        // while one incident ends and the next begins).
        // (A session running when the run starts is drawn as of the start, whenever it began.)
        let at = warm ? settings.startMs : s.startMs
        var (degraded, failing) = incidents.incidents(host: dst, atMs: at)
        // A scenario's service incidents come on top (theirs, where both are).
        if !scenarioServices.isEmpty {
            let scenario = scenarioServices.incidents(host: dst, atMs: at, seed: settings.seed)
            degraded = scenario.degraded ?? degraded
            failing = scenario.failing ?? failing
        }
        if let live {
            let started = live.serviceIncidents(host: dst, atMs: at, seed: settings.seed)
            degraded = started.degraded ?? degraded
            failing = started.failing ?? failing
        }
        if let degraded {
            var factor = max(1.3, degraded.severity * logNormal(&rng, median: 1, sigma: 0.35, range: 0.3...3))
            if easy { factor *= 10 }
            // Easy: seconds more on top, whatever the service.
            let extra = server * (factor - 1) + (easy ? 1_000 + 2_000 * rng.unit() : 0)
            server += extra
            duration += extra
            s.latencyMs = Float(rtt + server)
            s.anomalies.insert(.latencySpike)
            s.incident = degraded.id
        }
        if let failing, rng.unit() < failing.severity {
            s.failure = failing.id
            fail(&s, app: app, rtt: rtt, server: server, duration: &duration, warm: warm, rng: &rng)
            if s.outcome == .refused || s.outcome == .unanswered { return }
        }
        setDuration(&s, duration)
    }

    @inline(__always)
    static func defaultMethod(_ app: AppProtocol) -> AppMethod {
        switch app {
        case .http11, .http2: .get
        case .dns, .postgresql, .mysql: .query
        case .redis: .command
        case .ntp: .sync
        case .icmp: .echo
        case .ssh, .tls, .tcp: .handshake
        case .udp: .query
        }
    }

    /// Sets the flow's duration, never shorter than its link takes to carry its bytes.
    @inline(__always)
    func setDuration(_ s: inout Session, _ duration: Double) {
        let carried = max(s.upBytes, s.downBytes) * 1.05 / linkBytesPerMs(s.src, s.dst)
        s.durationMs = Int64(max(carried, duration).nearest)
        s.records = Int32(max(1, (s.durationMs + windowMs - 1) / windowMs))
    }

    /// A TCP session its failing service does not serve: an HTTP error answer, the connection
    /// reset part way, or refused (the service is down). Each looks as the same failure does in
    /// normal traffic; only how many there are at once tells the incident.
    func fail(_ s: inout Session, app: AppProtocol, rtt: Double, server: Double, duration: inout Double, warm: Bool, rng: inout WyRand) {
        guard s.transport == .tcp else { return }
        s.anomalies.insert(.connectionReset)
        let draw = rng.unit()
        // (Easy: never a refusal that looks like a closed port; an HTTP failure is always the
        // error page, a 503 with the connection reset after it.)
        if !easy && !warm && draw < 0.2 {
            // Refused before any server was slow to answer.
            s.anomalies.remove(.latencySpike)
            finishRefused(&s, rtt: rtt)
            return
        }
        if app.isHTTP && !s.bursty && (easy || draw < 0.65) {
            // The error page: a small answer, at once.
            if easy {
                s.status = 503
            } else {
                let code = rng.below(10)
                s.status = code < 2 ? 500 : code < 5 ? 502 : code < 9 ? 503 : 504
            }
            s.downBytes = 120 + Double(rng.below(900))
            s.singleRequest = true
            s.outcome = easy ? .serverReset : .closed
            duration = rtt + server * (0.2 + 0.8 * rng.unit()) + 0.5 * rtt
            return
        }
        s.outcome = .serverReset
        s.anomalyOnLastRecordOnly = true
        let cut = 0.05 + 0.95 * rng.unit()
        duration = Double(s.latencyMs) + (duration - Double(s.latencyMs)) * cut
        s.upBytes *= cut
        s.downBytes *= cut * 0.5
    }

    func finishRefused(_ s: inout Session, rtt: Double) {
        s.outcome = .refused
        s.latencyMs = Float(rtt)
        s.status = 0
        s.upBytes = 0
        s.downBytes = 0
        setDuration(&s, rtt)
    }

    func finishUnanswered(_ s: inout Session) {
        s.outcome = .unanswered
        s.latencyMs = 0
        s.status = 0
        s.downBytes = 0
        if s.transport == .udp { s.upBytes = s.app == .dns ? 45 : 48 }
        // SYN (or query) retransmitted after one and three seconds (UDP: after one), then given up.
        setDuration(&s, s.transport == .tcp ? 3_000 : 1_000)
    }

    // MARK: - Families

    func makeExfiltration(_ s: inout Session, sources: AliasSpan, warm: Bool, rng: inout WyRand) {
        let src = pick(sources, &rng)
        let dst = UInt32(exfiltrationTargets.lowerBound + Int(rng.below(UInt64(exfiltrationTargets.count))))
        s.src = src
        s.dst = dst
        s.srcPort = ephemeralPort(src, &rng)
        s.mss = mss(src, dst)
        let rtt = pathRTT(src, dst)
        let link = linkBytesPerMs(src, dst)
        s.anomalies = .exfiltration
        s.incident = IncidentID(family: .exfiltration, number: UInt64(s.id))
        s.bursty = true
        s.outcome = .closed
        s.latencyMs = Float(rtt + 20 * rng.unit())
        if rng.unit() < ExfiltrationShape.tunnelShare {
            let shape = ExfiltrationShape.tunnel
            let duration = ClampedLogNormal.draw(&rng, median: shape.median, sigma: shape.sigma, range: shape.range, lengthBiased: warm)
            let queriesPerMs = logNormal(&rng, median: 8, sigma: 0.5, range: 1...60) / 1_000
            s.incident = IncidentID(family: .dnsTunnel, number: UInt64(s.id))
            // Through the internal resolver when there is one, which forwards the queries to the
            // tunnel's name server; the client waits for both.
            s.queryDomain = dst
            if !resolvers.isEmpty { s.dst = resolvers[Int(rng.below(UInt64(resolvers.count)))] }
            s.transport = .udp
            s.dstPort = 53
            s.app = .dns
            s.method = .txt
            let query = 110 + 140 * rng.unit()
            let answer = 80 + 140 * rng.unit()
            s.mss = UInt16(query.nearest)
            s.upBytes = queriesPerMs * duration * Double(s.mss)
            s.downBytes = queriesPerMs * duration * answer
            setDuration(&s, duration)
        } else {
            let shape = ExfiltrationShape.https
            let duration = ClampedLogNormal.draw(&rng, median: shape.median, sigma: shape.sigma, range: shape.range, lengthBiased: warm)
            let rate = min(logNormal(&rng, median: ExfiltrationShape.uploadRate.median, sigma: ExfiltrationShape.uploadRate.sigma, range: 1e4...1e10) / 1_000 * (easy ? 20 : 1), 0.4 * link)
            s.transport = .tcp
            s.dstPort = 443
            s.app = .http2
            s.method = rng.below(3) == 0 ? .put : .post
            s.status = 200
            s.singleRequest = true
            s.upBytes = rate * duration
            s.downBytes = s.upBytes * (0.005 + 0.015 * rng.unit())
            setDuration(&s, duration)
        }
    }

    /// TCP SYN probes from `src` to `target` (the plan and the count are the caller's).
    @inline(__always)
    func startProbes(_ s: inout Session, from src: UInt32, to target: UInt32) {
        s.src = src
        s.dst = target
        s.shape = .probes
        s.transport = .tcp
        s.app = .tcp
        s.method = .syn
        s.mss = mss(src, target)
        s.latencyMs = Float(pathRTT(src, target))
    }

    func makeScanBurst(_ s: inout Session, sources: AliasSpan, rng: inout WyRand) {
        let config = settings.chaos.portScan
        let src = pick(sources, &rng)
        let target = serverHosts[Int(rng.below(UInt64(serverHosts.count)))]
        startProbes(&s, from: src, to: target)
        s.spacingMs = config.spacingMilliseconds
        s.records = Int32(config.ports)
        s.anomalies = .portScan
        s.incident = IncidentID(family: .portScan, number: UInt64(s.id))
        var plan = ProbePlan()
        plan.target = target
        plan.portsPerTarget = UInt32(config.ports)
        let maxFirst = UInt64(65_536 - config.ports)
        // Scanners usually start at the bottom of the port range; sometimes they sweep a window.
        plan.firstPort = UInt16(rng.below(4) == 0 ? 1 + rng.below(maxFirst) : min(20, maxFirst))
        plan.synScan = rng.unit() < 0.6
        s.probePlan = plan
        s.srcPort = ephemeralPort(src, &rng)
        s.durationMs = Int64((Double(config.ports - 1) * config.spacingMilliseconds).rounded())
    }

    func makeNoiseVisit(_ s: inout Session, sources: AliasSpan, rng: inout WyRand) {
        let src = pick(sources, &rng)
        let target = publicHosts[Int(rng.below(UInt64(publicHosts.count)))]
        startProbes(&s, from: src, to: target)
        s.records = 1
        var plan = ProbePlan()
        plan.target = target
        plan.portsPerTarget = UInt32(s.records)
        plan.ports = .random
        plan.synScan = rng.unit() < 0.7
        s.probePlan = plan
        s.srcPort = ephemeralPort(src, &rng)
    }

    func makeVulnerabilityScan(_ s: inout Session, host: UInt32, rng: inout WyRand) {
        s.src = host
        s.dst = serverHosts[0]
        s.shape = .probes
        s.transport = .tcp
        s.app = .tcp
        s.method = .syn
        s.mss = 1_448
        var plan = ProbePlan()
        plan.targets = .servers
        plan.portsPerTarget = UInt32(background.vulnerabilityScanPorts)
        plan.ports = .common
        plan.synScan = true
        s.probePlan = plan
        s.records = Int32(min(Int(Int32.max), serverHosts.count * background.vulnerabilityScanPorts))
        s.spacingMs = background.vulnerabilityScanSpacingMs
        s.srcPort = ephemeralPort(host, &rng)
    }

    func makeBackup(_ s: inout Session, host: UInt32, rng: inout WyRand) {
        let dst = tables.pick(tables.serverPick[storageRole!], &rng)
        s.src = host
        s.dst = dst
        s.srcPort = ephemeralPort(host, &rng)
        s.dstPort = 443
        s.transport = .tcp
        s.app = .http2
        s.method = .put
        s.status = 200
        s.singleRequest = true
        s.mss = mss(host, dst)
        s.bursty = true
        s.outcome = .closed
        let rtt = pathRTT(host, dst)
        s.latencyMs = Float(rtt + topology.roles[storageRole!].kind.serverTimeMs)
        let size = background.backupBytes * logNormal(&rng, median: 1, sigma: 0.4, range: 0.2...5)
        let rate = min(0.3 * linkBytesPerMs(host, dst), logNormal(&rng, median: 60_000, sigma: 0.4, range: 5_000...1e7))
        s.upBytes = size
        s.downBytes = size * 0.002
        setDuration(&s, 2.5 * rtt + size / rate)
    }
}
