import Foundation
import TelemetryModel

/// The simulated network, compiled for a run: topology, traffic edges and the processes that
/// start sessions, each calibrated so that the network's normal traffic makes `timeRate` records
/// per simulated second on average, whatever the chaos settings; the attacks add theirs, and the
/// service incidents change the sessions they hit, at their configured shares. Immutable: shards
/// read it from any thread; all mutable state lives in ``ShardSimulator``.
public struct FlowSimulation: Sendable {
    public let topology: Topology
    public let settings: SimulationSettings
    public private(set) var edges: [TrafficEdge]
    public private(set) var processes: [ProcessSpec]
    public let windowMs: Int64
    /// Simulated milliseconds the shards advance in one step (a batching unit: the records do not
    /// depend on it).
    public let tickMs: Int64
    /// Where each process's sessions start, per shard: `sources[shard][process]`.
    let sources: [[SourceHosts]]
    let security: SecurityRules
    /// Internal hosts that serve something (scan and noise targets), and the public-facing ones.
    let serverHosts: [UInt32]
    let publicHosts: [UInt32]
    /// The internal name servers DNS tunnels go through.
    let resolvers: [UInt32]
    let storageRole: Int?
    let exfiltrationTargets: Range<Int>
    /// The scenario's entries, compiled (their sessions come from processes of their own, after
    /// the background's and the chaos knobs').
    public let scenarioPlans: [ScenarioPlan]
    /// Entries started at run time (nil unless the settings reserve slots for them).
    public let live: LiveScenarios?
    /// When internal services are degraded or failing (latency spikes and resets).
    private(set) var incidents: ServiceIncidents
    /// The scenario's service incidents (the servers it degrades or fails, and when).
    let scenarioServices: ScenarioServices
    let malformedChance: Probability
    let dropChance: Probability
    let chaosOn: Bool
    /// `--difficulty easy`: obvious signals.
    let easy: Bool
    let background: BackgroundDeclaration
    /// Each role's load curve by minute.
    let roleCurves: [CurveTable]
    /// What drawing a session reads, flat.
    let tables: SimulationTables
    /// Normal quantiles, HTTP methods and statuses, held here so hot code reads no lazy global.
    nonisolated(unsafe) let normal = NormalTable.quantiles
    let methods = FlowSimulation.httpMethods.map(\.0)
    let methodTable = FlowSimulation.methodTable
    let statuses = FlowSimulation.httpStatuses.map(\.0)
    let statusTable = FlowSimulation.statusTable
    let commonPorts = ProbePlan.commonPorts
    let topPorts = ProbePlan.topPorts

    /// Hosts of a process in one shard, and which of them starts a session (by activity).
    struct SourceHosts: Sendable {
        var hosts: [UInt32]
        var table: AliasTable?
        /// Share of the process's activity in this shard.
        var share: Double
    }

    /// Compiles `declaration` (validated) for a run.
    public init(declaration: NetworkDeclaration, settings: SimulationSettings) {
        let topology = Topology(declaration: declaration, seed: settings.seed)
        self.topology = topology
        self.settings = settings
        windowMs = declaration.windowMs
        // Easy: no normal lookalikes (resets, refusals, large uploads, backups, services slow at their peak).
        var background = declaration.background
        if settings.chaos.difficulty == .easy && settings.chaos.enabled {
            background.resetShare = 0
            background.refusedShare = 0
            background.largeUploadShare = 0
            background.slowAtPeak = 1
            background.backupHour = nil
        }
        self.background = background
        let chaos = settings.chaos
        chaosOn = chaos.enabled
        easy = chaos.difficulty == .easy

        // Edges: from each role's clients, then the declared traffic.
        var edges: [TrafficEdge] = []
        for (index, role) in declaration.roles.enumerated() where role.weight > 0 {
            let total = role.clients.reduce(0) { $0 + $1.weight }
            for client in role.clients {
                edges.append(TrafficEdge(from: topology.role(named: client.role)!, to: index, endpoints: role.serves,
                                         share: role.weight * client.weight / total, recordsPerSession: 1, tcpShare: 0))
            }
        }
        for edge in declaration.traffic {
            let to = topology.role(named: edge.to)!
            edges.append(TrafficEdge(from: topology.role(named: edge.from)!, to: to, endpoints: edge.ports ?? topology.roles[to].serves,
                                     share: edge.weight, recordsPerSession: 1, tcpShare: 0))
        }
        let totalShare = edges.reduce(0) { $0 + $1.share }
        for i in edges.indices { edges[i].share /= totalShare }
        let security = SecurityRules(topology: topology, edges: edges)
        self.security = security

        var servers: [UInt32] = []
        var publicFacing: [UInt32] = []
        for (index, role) in topology.roles.enumerated() where role.isInternal && !role.serves.isEmpty {
            servers.append(contentsOf: role.hosts.map { UInt32($0) })
            if role.serves.contains(where: { security.allowsAnywhere(role: index, endpoint: $0) }) {
                publicFacing.append(contentsOf: role.hosts.map { UInt32($0) })
            }
        }
        serverHosts = servers
        resolvers = topology.resolvers
        publicHosts = publicFacing.isEmpty ? servers : publicFacing
        let storageRole = topology.roles.firstIndex { $0.kind == .storage && $0.purpose == .declared }
        self.storageRole = storageRole
        exfiltrationTargets = topology.roles[topology.role(for: .exfiltrationTargets)!].hosts
        // Set once the background is calibrated (below): its rates do not depend on the anomalies.
        incidents = .none
        malformedChance = chaos.enabled ? chaos.malformed : .zero
        dropChance = chaos.enabled ? chaos.drop : .zero

        let window = Double(declaration.windowMs)
        let roleCurves = topology.roles.map { CurveTable($0.curve) }
        self.roleCurves = roleCurves
        tickMs = Int64(min(Double(settings.maxStepMs ?? 60_000), max(1, (1_000 * 65_536 / settings.timeRate).rounded())))

        // Processes: the background first (edges, internet noise, the daily scans and backups),
        // then the attacks. A process's index names its random streams, so the background's
        // sessions do not depend on which attacks run.
        var processes: [ProcessSpec] = edges.enumerated().map { index, edge in
            ProcessSpec(kind: .edge(index), sources: [edge.from], curve: topology.roles[edge.from].curve, table: roleCurves[edge.from], ratePerMs: 0, dailyHour: nil, hasLongSessions: true)
        }
        let exfilSources = topology.roles.indices.filter {
            let kind = topology.roles[$0].kind
            return topology.roles[$0].purpose == .declared && topology.roles[$0].isInternal && [.workstation, .web, .api, .db].contains(kind)
        }
        let scanSources = [topology.role(for: .scanSources)!]
        let noise = topology.role(for: .noiseSources)
        let scanners = topology.roles.indices.filter { topology.roles[$0].kind == .scanner && topology.roles[$0].isInternal }
        let dbs = topology.roles.indices.filter { topology.roles[$0].kind == .db && topology.roles[$0].isInternal }
        let exfilRecords = ExfiltrationShape.expectedRecords(windowMs: window)
        let rate = settings.timeRate / 1_000  // records per ms
        let exfilShare = chaos.enabled && !exfilSources.isEmpty ? chaos.exfiltration.value : 0
        let noiseShare = noise == nil || servers.isEmpty ? 0 : background.internetNoiseShare
        let scanBursts = chaos.enabled && chaos.portScan.enabled
            ? settings.timeRate / SimulationSettings.scanReferenceRate / chaos.portScan.intervalSeconds / 1_000 : 0
        // The attacks add their records to the background's (`timeRate`): exfiltration makes its
        // share of all the records.
        let scanRecordsPerMs = scanBursts * Double(chaos.portScan.ports)
        let exfilRecordsPerMs = exfilShare * (rate + scanRecordsPerMs) / max(1 - exfilShare, 0.05)
        if let noise, noiseShare > 0 {
            processes.append(ProcessSpec(kind: .internetNoise, sources: [noise], curve: .flat, table: CurveTable(.flat), ratePerMs: noiseShare * rate / InternetNoise.meanProbes, dailyHour: nil, hasLongSessions: false))
        }
        if let hour = background.vulnerabilityScanHour, !scanners.isEmpty, !servers.isEmpty {
            processes.append(ProcessSpec(kind: .vulnerabilityScan, sources: scanners, curve: .flat, table: CurveTable(.flat), ratePerMs: 0, dailyHour: hour, hasLongSessions: false))
        }
        if let hour = background.backupHour, !dbs.isEmpty, storageRole != nil {
            processes.append(ProcessSpec(kind: .backup, sources: dbs, curve: .flat, table: CurveTable(.flat), ratePerMs: 0, dailyHour: hour, hasLongSessions: false))
        }
        if exfilShare > 0 {
            processes.append(ProcessSpec(kind: .exfiltration, sources: exfilSources, curve: .flat, table: CurveTable(.flat), ratePerMs: exfilRecordsPerMs / exfilRecords, dailyHour: nil, hasLongSessions: true))
        }
        if scanBursts > 0 {
            processes.append(ProcessSpec(kind: .portScan, sources: scanSources, curve: .flat, table: CurveTable(.flat), ratePerMs: scanBursts, dailyHour: nil, hasLongSessions: false))
        }
        do throws(ScenarioPlan.Failure) {
            scenarioPlans = try ScenarioPlan.compile(settings.scenarios, topology: topology, startMs: settings.startMs)
        } catch {
            preconditionFailure("scenario not validated before the run: \(error)")
        }
        var services = ScenarioServices()
        for (i, plan) in scenarioPlans.enumerated() { services.add(plan, index: i) }
        scenarioServices = services
        live = settings.liveSlots > 0 ? LiveScenarios(slots: settings.liveSlots, firstIndex: scenarioPlans.count) : nil
        for i in 0..<(scenarioPlans.count + settings.liveSlots) {
            processes.append(ProcessSpec(kind: .scenario(i), sources: [], curve: .flat, table: CurveTable(.flat), ratePerMs: 0, dailyHour: nil, hasLongSessions: false))
        }
        precondition(processes.count <= 255, "at most 255 traffic edges and families")
        let processList = processes

        // Where each process starts sessions, per shard.
        var sources: [[SourceHosts]] = Array(repeating: [], count: Topology.shardCount)
        for process in processList {
            let hosts = process.sources.flatMap { topology.roles[$0].hosts }
            let total = hosts.reduce(0.0) { $0 + Double(topology.hosts[$1].activity) }
            for shard in 0..<Topology.shardCount {
                let local = hosts.filter { Topology.shard(ofHost: $0) == shard }
                let weights = local.map { Double(topology.hosts[$0].activity) }
                let sum = weights.reduce(0, +)
                sources[shard].append(SourceHosts(
                    hosts: local.map { UInt32($0) }, table: local.isEmpty ? nil : AliasTable(weights: weights), share: total > 0 ? sum / total : 0
                ))
            }
        }
        self.sources = sources

        // Calibration: records per session of each edge, then session rates that make the
        // normal share of the records.
        var calibrated = edges
        for i in calibrated.indices {
            (calibrated[i].recordsPerSession, calibrated[i].tcpShare) = Self.calibrate(
                edge: calibrated[i], index: i, topology: topology, background: background, windowMs: declaration.windowMs
            )
            let from = topology.roles[calibrated[i].from].kind, to = topology.roles[calibrated[i].to].kind
            let shares = calibrated[i].endpointShares
            let running = zip(calibrated[i].endpoints, shares).map { endpoint, share -> Double in
                let profile = SessionProfile.of(endpoint.appProtocol, client: from, server: to)
                let mean = min(profile.longRange.upperBound, max(profile.longRange.lowerBound, profile.longMedianMs * exp(profile.longSigma * profile.longSigma / 2)))
                return share * profile.longShare * mean
            }
            let total = running.reduce(0, +)
            calibrated[i].longMillisecondsPerSession = total
            calibrated[i].runningEndpoints = total > 0 ? WeightedTable(weights: running) : nil
            calibrated[i].runningWeights = total > 0 ? running : nil
        }
        let normalShare = max(0.05, 1 - noiseShare)
        let perSession = calibrated.reduce(0) { $0 + $1.share * $1.recordsPerSession }
        let sessionsPerMs = normalShare * rate / perSession
        for (i, process) in processes.enumerated() {
            if case .edge(let e) = process.kind { processes[i].ratePerMs = sessionsPerMs * calibrated[e].share }
        }
        self.edges = calibrated
        self.processes = processes
        tables = SimulationTables(topology: topology, edges: calibrated, processes: processes, sources: sources, curves: roleCurves)

        // Second pass: short sessions as the run draws them (their paths and large uploads, not
        // the anomalies, so that the background is the same whatever the chaos settings) make a
        // little more than one record on average; measure it, and set the rates from the measurement.
        for (p, process) in processes.enumerated() {
            guard case .edge(let e) = process.kind else { continue }
            self.edges[e].recordsPerSession = measuredRecordsPerSession(process: p, edge: e)
        }
        let measured = self.edges.reduce(0) { $0 + $1.share * $1.recordsPerSession }
        let measuredSessionsPerMs = normalShare * rate / measured
        for (i, process) in processes.enumerated() {
            guard case .edge(let e) = process.kind else { continue }
            self.processes[i].ratePerMs = measuredSessionsPerMs * self.edges[e].share
        }
        // Service incidents: a latency spike is a session of a degraded service, a reset one that
        // fails while its service is failing. Their windows cover as much of the servers' time as
        // makes the knobs' shares of the records (resets: of the TCP sessions' records, of which
        // only the failed share is labelled).
        var tcpShare = 0.0
        for edge in self.edges { tcpShare += edge.share * edge.recordsPerSession * edge.tcpShare }
        tcpShare /= max(measured, 1e-9)
        if chaos.enabled && tcpShare > 0 {
            // Of a failing window's records, the failed sessions' that carry the label: a reset
            // part way through a long session shows on its last record only (measured over a
            // simulated day).
            let failed = (ServiceIncidents.failure.low + ServiceIncidents.failure.high) / 2 * ServiceIncidents.labelledShareOfFailed
            incidents = ServiceIncidents(seed: settings.seed, degradedShare: chaos.latencySpike.value, failingShare: chaos.connectionReset.value / tcpShare / failed)
        }
    }

    /// Records per session of edge `e` (process `p`): 1,024 of its sessions drawn as the run draws
    /// them, each short one counted as it is, each long one by the expected records of its
    /// duration's distribution (the exact mean, where a sample of heavy tails would wander).
    func measuredRecordsPerSession(process p: Int, edge e: Int) -> Double {
        let edge = edges[e]
        let from = topology.roles[edge.from].kind, to = topology.roles[edge.to].kind
        let longRecords = edge.endpoints.map { SessionProfile.of($0.appProtocol, client: from, server: to).expectedLongRecords(windowMs: Double(windowMs)) }
        let shards = (0..<Topology.shardCount).filter { !sources[$0][p].hosts.isEmpty }
        guard !shards.isEmpty else { return edge.recordsPerSession }
        let samples = 1_024
        var total = 0.0
        for i in 0..<samples {
            let s = session(process: p, shard: shards[i % shards.count], counter: UInt64(i), startMs: settings.startMs)
            if s.bursty, let j = edge.endpoints.firstIndex(where: { $0.transport == s.transport && $0.port == s.dstPort }) {
                total += longRecords[j]
            } else {
                total += Double(s.records)
            }
        }
        return total / Double(samples)
    }

    /// A log-normal draw clamped to `range`.
    @inline(__always)
    func logNormal(_ rng: inout WyRand, median: Double, sigma: Double, range: ClosedRange<Double>) -> Double {
        min(max(median * FastMath.exp(sigma * NormalTable.draw(&rng, normal)), range.lowerBound), range.upperBound)
    }

    /// Sessions with records still to come, at any moment, over the whole network (an estimate).
    public var expectedRunningSessions: Double {
        processes.indices.reduce(0) { $0 + expectedInFlight(process: $1) * processes[$1].ratePerMs }
    }

    /// Records the simulated network (this run's shards of it) reports per millisecond at `atMs` on
    /// average: each edge's sessions as its clients' load curve has them, the families flat.
    public func expectedRecordsPerMs(atMs: Int64) -> Double {
        var total = 0.0
        for process in processes {
            switch process.kind {
            case .edge(let e): total += process.ratePerMs * process.table.value(atMs: atMs) * edges[e].recordsPerSession
            case .exfiltration: total += process.ratePerMs * ExfiltrationShape.expectedRecords(windowMs: Double(windowMs))
            case .portScan: total += process.ratePerMs * Double(settings.chaos.portScan.ports)
            case .internetNoise: total += process.ratePerMs * InternetNoise.meanProbes
            case .vulnerabilityScan, .backup, .scenario: break
            }
        }
        return total * Double(settings.shards.shards.count) / Double(Topology.shardCount)
    }

    /// Records expected between two moments (minute by minute along the load curves).
    public func expectedRecords(fromMs start: Int64, toMs end: Int64) -> Double {
        guard end > start else { return 0 }
        var total = 0.0
        var t = start
        while t < end {
            let next = min(end, t + 60_000)
            total += expectedRecordsPerMs(atMs: t + (next - t) / 2) * Double(next - t)
            t = next
        }
        return total
    }

    /// Sessions of process `p` running at any moment, per session started per millisecond.
    func expectedInFlight(process p: Int) -> Double {
        switch processes[p].kind {
        case .edge(let e): return edges[e].longMillisecondsPerSession
        case .exfiltration:
            func mean(_ shape: (median: Double, sigma: Double, range: ClosedRange<Double>)) -> Double {
                min(shape.range.upperBound, shape.median * exp(shape.sigma * shape.sigma / 2))
            }
            return (1 - ExfiltrationShape.tunnelShare) * mean(ExfiltrationShape.https) + ExfiltrationShape.tunnelShare * mean(ExfiltrationShape.tunnel)
        default: return 0
        }
    }

    /// Hosts inside VPCs that this run's shards own (the interfaces its VPC flow logs report).
    public var ownedInterfaces: [Int] {
        topology.hosts.indices.filter { topology.hosts[$0].isInternal && settings.shards.contains(shard: Topology.shard(ofHost: $0)) }
    }

    /// The processes' indexes by kind.
    public func process(_ kind: ProcessSpec.Kind) -> Int? { processes.firstIndex { $0.kind == kind } }

    /// Expected records per session of an edge, and the share of its sessions that are TCP: long
    /// sessions from their duration law, short ones by drawing a sample with a fixed stream.
    static func calibrate(edge: TrafficEdge, index: Int, topology: Topology, background: BackgroundDeclaration, windowMs: Int64) -> (records: Double, tcp: Double) {
        let from = topology.roles[edge.from].kind
        let to = topology.roles[edge.to].kind
        var records = 0.0
        var tcp = 0.0
        for (endpoint, share) in zip(edge.endpoints, edge.endpointShares) {
            let app = endpoint.appProtocol
            let profile = SessionProfile.of(app, client: from, server: to)
            let oneRecord = endpoint.transport == .tcp ? background.refusedShare + background.timeoutShare : 0
            let long = profile.longShare > 0 ? profile.expectedLongRecords(windowMs: Double(windowMs)) : 1
            // Short sessions: almost always one record; measure the rest.
            var rng = WyRand(seed: 0xca1b, stream: UInt64(index), index: UInt64(endpoint.port))
            var sum = 0.0
            let samples = 512
            for _ in 0..<samples {
                let exchange = ShortExchange(app: app, profile: profile, rttMs: 1, serverMs: to.serverTimeMs, bytesPerMs: 40_000, rng: &rng)
                sum += Double(max(1, (Int64(exchange.durationMs) + windowMs - 1) / windowMs))
            }
            let short = sum / Double(samples)
            records += share * (oneRecord + (1 - oneRecord) * (profile.longShare * long + (1 - profile.longShare) * short))
            if endpoint.transport == .tcp { tcp += share }
        }
        return (records, tcp)
    }
}

/// Which sessions the security groups let through: what each edge declares (from anywhere when
/// its clients are outside), and everything from the authorised scanner.
struct SecurityRules: Sendable {
    private let allowed: Set<UInt64>
    private let listening: Set<UInt64>
    private let scannerRoles: Set<Int>
    private static let anywhere = 0xFFFF

    init(topology: Topology, edges: [TrafficEdge]) {
        var allowed = Set<UInt64>()
        var listening = Set<UInt64>()
        for edge in edges {
            let outside = !topology.roles[edge.from].isInternal
            for endpoint in edge.endpoints {
                allowed.insert(Self.key(outside ? Self.anywhere : edge.from, edge.to, endpoint))
                listening.insert(Self.key(Self.anywhere, edge.to, endpoint))
            }
        }
        for (index, role) in topology.roles.enumerated() {
            for endpoint in role.serves { listening.insert(Self.key(Self.anywhere, index, endpoint)) }
        }
        self.allowed = allowed
        self.listening = listening
        scannerRoles = Set(topology.roles.indices.filter { topology.roles[$0].kind == .scanner })
    }

    static func key(_ from: Int, _ to: Int, _ endpoint: ServiceEndpoint) -> UInt64 {
        UInt64(from & 0xFFFF) << 40 | UInt64(to & 0xFFFF) << 24 | UInt64(endpoint.transport.rawValue) << 16 | UInt64(endpoint.port)
    }

    /// Whether a session from a host of `from` (outside when `outside`) to `to` on `endpoint` gets through.
    func allows(from: Int, outside: Bool, to: Int, endpoint: ServiceEndpoint) -> Bool {
        if scannerRoles.contains(from) { return true }
        return allowed.contains(Self.key(Self.anywhere, to, endpoint)) || (!outside && allowed.contains(Self.key(from, to, endpoint)))
    }

    func allowsAnywhere(role: Int, endpoint: ServiceEndpoint) -> Bool { allowed.contains(Self.key(Self.anywhere, role, endpoint)) }

    /// Whether something on hosts of `role` answers on `endpoint`.
    func listens(role: Int, endpoint: ServiceEndpoint) -> Bool { listening.contains(Self.key(Self.anywhere, role, endpoint)) }
}
