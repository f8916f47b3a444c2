import Foundation
import TelemetryModel

/// The incidents of scenario entries: each occurrence is one session of the simulated network
/// (a scan, an upload, a tunnel) or one campaign of small flows (beacons, login attempts, a flood,
/// moves to other hosts), drawn from the seed, the entry and the occurrence's number.
extension FlowSimulation {
    /// At most this many records per incident (the probe number's bits in `session_id`).
    static let maxCampaignRecords = 262_143

    /// Entry `i`: of the scenario given at the start, then of those started at run time.
    @inline(__always)
    func scenarioPlan(_ i: Int) -> ScenarioPlan {
        i < scenarioPlans.count ? scenarioPlans[i] : live!.plan(i - scenarioPlans.count)
    }

    /// Starts `entry` now: its first occurrence at `startMs` (ahead of every shard's time), in a
    /// slot reserved for entries started at run time; returns the entry's index.
    public func startIncident(_ entry: ScenarioEntry, atMs startMs: Int64) throws(LiveScenarios.Failure) -> Int {
        guard let live else { throw .full(0) }
        var entry = entry
        entry.startAtMs = startMs
        entry.startOffsetMs = nil
        return scenarioPlans.count + (try live.add(entry, topology: topology, startMs: startMs))
    }

    func makeScenario(_ s: inout Session, index i: Int, occurrence k: UInt64, rng: inout WyRand) {
        let plan = scenarioPlan(i)
        let entry = plan.entry
        let (src, dst) = plan.hosts(seed: settings.seed, index: i, occurrence: k)
        s.scenario = Int16(i)
        s.src = src
        s.dst = dst
        s.incident = IncidentID(family: entry.family, number: UInt64(s.id))
        s.anomalies = AnomalySet(entry.family.label)
        s.srcPort = ephemeralPort(src, &rng)
        s.dstPort = plan.ports.first ?? 0
        s.mss = mss(src, dst)
        let duration = Double(max(entry.durationMs, 1))
        let cap = Double(Self.maxCampaignRecords)
        switch entry.family {
        case .portScan:
            startProbes(&s, from: src, to: dst)
            var probes = ProbePlan()
            probes.synScan = entry.method != .connect
            probes.udp = entry.method == .udp
            let total: Int
            if plan.walksTargets {
                probes.targets = .scenario
                probes.ports = .scenario
                probes.portsPerTarget = UInt32(plan.ports.count)
                total = plan.targets.count * plan.ports.count
            } else {
                probes.target = dst
                if plan.ports.isEmpty {
                    // nmap's default: its top 1,000 ports, most common first.
                    probes.ports = .common
                    probes.portsPerTarget = 1_000
                } else {
                    probes.ports = .scenario
                    probes.portsPerTarget = UInt32(plan.ports.count)
                }
                total = Int(probes.portsPerTarget)
            }
            if probes.udp {
                s.transport = .udp
                s.app = .udp
                s.method = .query
            }
            s.probePlan = probes
            s.spacingMs = entry.spacingMs
            s.records = Int32(max(1, min(Double(total), (duration / s.spacingMs).rounded(.down) + 1, cap)))
            s.durationMs = Int64((Double(s.records - 1) * s.spacingMs).rounded())
        case .exfiltration:
            let link = linkBytesPerMs(src, dst)
            let intensity = entry.intensity ?? ScenarioEntry.intensityUnit(.exfiltration).defaultValue
            let rate = min(intensity / 1_000, 0.4 * link)
            s.transport = .tcp
            s.app = .http2
            s.method = rng.below(3) == 0 ? .put : .post
            s.status = 200
            s.singleRequest = true
            // A steady upload: as many bytes every window (a session's window-to-window bursts would
            // blur the rate asked for).
            s.outcome = .closed
            s.latencyMs = Float(pathRTT(src, dst) + 20 * rng.unit())
            s.upBytes = rate * duration
            s.downBytes = s.upBytes * (0.005 + 0.015 * rng.unit())
            setDuration(&s, duration)
        case .dnsTunnel:
            // Through the internal resolver when there is one: the queries go to it, it forwards
            // them to the target, whose domain they name.
            s.queryDomain = dst
            if !plan.helpers.isEmpty { s.dst = plan.helpers[Int(rng.below(UInt64(plan.helpers.count)))] }
            s.mss = UInt16(110 + rng.below(140))
            let queriesPerMs = (entry.intensity ?? ScenarioEntry.intensityUnit(.dnsTunnel).defaultValue) / 1_000
            s.transport = .udp
            s.dstPort = 53
            s.app = .dns
            s.method = .txt
            s.bursty = true
            s.outcome = .closed
            s.latencyMs = Float(pathRTT(src, s.dst) + 20 + 60 * rng.unit())
            s.upBytes = queriesPerMs * duration * Double(s.mss)
            s.downBytes = queriesPerMs * duration * (80 + 140 * rng.unit())
            setDuration(&s, duration)
        case .ddos:
            s.shape = .campaign
            s.transport = .tcp
            s.app = .tcp
            s.method = .syn
            let windows = (duration / Double(windowMs)).rounded(.up)
            s.records = Int32(max(1, min(Double(plan.helpers.count) * windows, cap)))
            s.durationMs = Int64(duration)
        default:
            s.shape = .campaign
            s.transport = .tcp
            s.spacingMs = entry.spacingMs
            s.records = Int32(max(1, min((duration / s.spacingMs).rounded(.down), cap)))
            s.durationMs = Int64(duration)
        }
    }

    // MARK: - Campaigns

    /// When flow `j` of a campaign starts: one per gap, placed at random within its gap (at most
    /// `jitter` of it from the middle), so the flows start in order. A flood's records are its
    /// sources' flows, window by window, staggered over a tenth of the window.
    @inline(__always)
    func campaignStartMs(_ s: Session, _ j: Int) -> Int64 {
        let plan = scenarioPlan(Int(s.scenario))
        if plan.entry.family == .ddos {
            let bots = plan.helpers.count
            let window = j / bots, bot = j % bots
            return s.startMs + Int64(window) * windowMs + Int64(Double(bot) * Double(windowMs) * 0.1 / Double(bots))
        }
        var rng = WyRand(seed: s.recordSeed, stream: 0xCA4B, index: UInt64(j))
        let jitter = plan.entry.family == .beaconing ? (easy ? 0 : min(max(plan.entry.jitter, 0), 0.9)) : 0.8
        let position = Double(j) + 0.5 + (rng.unit() - 0.5) * jitter
        return s.startMs + Int64((position * s.spacingMs).rounded(.down))
    }

    /// When record `j` of a campaign is reported: the end of its flow.
    @inline(__always)
    func campaignEmitMs(_ s: Session, _ j: Int) -> Int64 {
        if scenarioPlan(Int(s.scenario)).entry.family == .ddos { return floodWindow(s, j).end }
        let flow = campaignFlow(s, j)
        return flow.startMs + flow.durationMs
    }

    /// A flood source's flow in its window: from its first SYN of the window to its last, which
    /// comes at some point of the window's last second.
    @inline(__always)
    func floodWindow(_ s: Session, _ j: Int) -> (start: Int64, end: Int64) {
        let start = campaignStartMs(s, j)
        let last = Int64(SeedMixer.mix(s.recordSeed, 0xF100D, UInt64(j)) % 1_000)
        let end = min(start + windowMs, s.startMs + s.durationMs) - last
        return (start, max(end, start + 1))
    }

    /// Flow `j` of a campaign (beacons, login attempts, lateral moves) as a session of one record.
    func campaignFlow(_ s: Session, _ j: Int) -> Session {
        let plan = scenarioPlan(Int(s.scenario))
        let entry = plan.entry
        var rng = WyRand(seed: s.recordSeed, stream: 0xCA4C, index: UInt64(j))
        var f = Session()
        f.id = s.id
        f.startMs = campaignStartMs(s, j)
        f.src = s.src
        f.dst = s.dst
        f.dstPort = s.dstPort
        f.transport = .tcp
        f.anomalies = s.anomalies
        f.outcome = .closed
        switch entry.family {
        case .beaconing:
            // A target named as a role or a network is a service of many addresses (a CDN in front
            // of the server): each call goes to one of them, as DNS hands them out.
            switch entry.target {
            case .role, .network: f.dst = plan.targets[Int(rng.below(UInt64(plan.targets.count)))]
            default: break
            }
            f.srcPort = ephemeralPort(f.src, &rng)
            f.app = .http2
            f.method = rng.below(4) == 0 ? .get : .post
            f.status = 200
            f.singleRequest = true
            f.mss = mss(f.src, f.dst)
            let rtt = pathRTT(f.src, f.dst)
            let server = 20 + 60 * rng.unit()
            // Check in: a few hundred bytes each way; now and then a task to download.
            f.upBytes = 350 + 450 * rng.unit()
            f.downBytes = 200 + 900 * rng.unit() + (rng.unit() < 0.04 ? 20_000 + 200_000 * rng.unit() : 0)
            f.latencyMs = Float(rtt + server)
            setDuration(&f, 2.5 * rtt + server + (f.upBytes + f.downBytes) / throughput(f.src, f.dst, &rng))
        case .bruteForce:
            if entry.sources > 1 {
                // Many sources, each trying in turn.
                let pool = min(entry.sources, plan.sources.count)
                let offset = Int(SeedMixer.mix(settings.seed, UInt64(s.scenario), UInt64(s.id)) % UInt64(plan.sources.count))
                f.src = plan.sources[(offset + Int(rng.below(UInt64(pool)))) % plan.sources.count]
            }
            f.srcPort = ephemeralPort(f.src, &rng)
            f.app = f.dstPort == 22 ? .ssh : .tls
            f.method = .handshake
            f.mss = mss(f.src, f.dst)
            let rtt = pathRTT(f.src, f.dst)
            let last = j == Int(s.records) - 1
            if last && SeedMixer.finalize(s.recordSeed) % 4 == 0 {
                // The password found: a session that stays a while and does something.
                f.upBytes = 5_000 + 45_000 * rng.unit()
                f.downBytes = 20_000 + 380_000 * rng.unit()
                f.latencyMs = Float(rtt + 5)
                setDuration(&f, min(Double(windowMs) - 1, 20_000 + 40_000 * rng.unit()))
            } else {
                // Key exchange, a few passwords refused, then the server hangs up (or resets).
                f.upBytes = 1_500 + 1_500 * rng.unit()
                f.downBytes = 2_000 + 2_000 * rng.unit()
                f.latencyMs = Float(rtt + 2)
                if rng.unit() < 0.15 { f.outcome = .serverReset }
                setDuration(&f, 3 * rtt + 300 + 2_500 * rng.unit())
            }
        case .lateralMovement:
            f.dst = plan.target(Int(rng.below(UInt64(plan.targets.count))), avoiding: f.src)
            f.dstPort = plan.ports[Int(rng.below(UInt64(plan.ports.count)))]
            f.srcPort = ephemeralPort(f.src, &rng)
            f.app = f.dstPort == 22 ? .ssh : f.dstPort == 3389 ? .tls : f.dstPort == 5985 ? .http11 : .tcp
            f.method = f.app == .http11 ? .post : .handshake
            f.status = f.app == .http11 ? 200 : 0
            f.mss = mss(f.src, f.dst)
            let rtt = pathRTT(f.src, f.dst)
            let endpoint = ServiceEndpoint(transport: .tcp, port: f.dstPort)
            let fromRole = Int(topology.hosts[Int(f.src)].role), toRole = Int(topology.hosts[Int(f.dst)].role)
            if !security.allows(from: fromRole, outside: false, to: toRole, endpoint: endpoint) {
                finishUnanswered(&f)
                f.rejected = true
            } else if !security.listens(role: toRole, endpoint: endpoint) {
                finishRefused(&f, rtt: rtt)
            } else {
                // Log in and look around; now and then copy a tool over and run it.
                f.upBytes = 3_000 + 37_000 * rng.unit() + (rng.unit() < 0.2 ? 200_000 + 700_000 * rng.unit() : 0)
                f.downBytes = 2_000 + 28_000 * rng.unit()
                f.latencyMs = Float(rtt + 3)
                f.singleRequest = true
                setDuration(&f, 4 * rtt + 50 + 1_450 * rng.unit() + f.upBytes / throughput(f.src, f.dst, &rng))
            }
        default:
            break
        }
        f.records = 1
        f.recordSeed = rng.next()
        return f
    }

    /// Renders record `j` of a campaign.
    func renderCampaign(_ s: Session, _ j: Int, _ e: inout FlowEvent, _ rng: inout WyRand) {
        if scenarioPlan(Int(s.scenario)).entry.family == .ddos {
            renderFlood(s, j, &e, &rng)
            return
        }
        let flow = campaignFlow(s, j)
        fill(flow, &e)
        e.rejected = flow.rejected
        renderFlow(flow, 0, &e, &rng)
    }

    /// One source's SYNs to the target in one window: SYN after SYN from changing ports, answered
    /// with SYN-ACK as long as the server keeps up, never completed.
    func renderFlood(_ s: Session, _ j: Int, _ e: inout FlowEvent, _ rng: inout WyRand) {
        let plan = scenarioPlan(Int(s.scenario))
        let bots = plan.helpers
        let src = bots[j % bots.count]
        let (start, end) = floodWindow(s, j)
        fill(s, &e)
        e.srcHost = src
        e.srcIP = tables.hosts[Int(src)].address
        e.srcPort = ephemeralPort(src, &rng)
        e.startMs = start
        e.endMs = end
        let perSource = (plan.entry.intensity ?? ScenarioEntry.intensityUnit(.ddos).defaultValue) / Double(bots.count)
        let packets = max(1, (perSource * (0.5 + rng.unit()) * Double(end - start) / 1_000).rounded())
        // The server answers a share of them while it keeps up (SYN cookies); from half the sources
        // in a window nothing comes back (its backlog full, or their SYN-ACKs lost on the way).
        let answered = easy || rng.below(2) == 0 ? 0 : (packets * (0.2 + 0.7 * rng.unit())).rounded(.down)
        e.packetsSent = Int32(min(packets, Double(Int32.max)))
        e.packetsReceived = Int32(min(answered, Double(Int32.max)))
        e.bytesSent = Int64(packets * 60)
        e.bytesReceived = Int64(answered * 60)
        e.clientFlags = [.syn]
        e.serverFlags = answered > 0 ? [.syn, .ack] : []
        e.flags = e.clientFlags.union(e.serverFlags)
        e.latencyMs = answered > 0 ? Int32(pathRTT(src, s.dst) + 50 + 1_500 * rng.unit()) : 0
        e.statusCode = 0
    }
}
