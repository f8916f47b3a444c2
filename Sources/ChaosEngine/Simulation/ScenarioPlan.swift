import TelemetryModel

/// A scenario entry compiled for a run: the hosts its places name, its first start, its ports.
/// Occurrence `k` of an entry is a pure function of the seed, the entry and `k` (its hosts; its
/// time too, unless it repeats at random).
public struct ScenarioPlan: Sendable {
    public let entry: ScenarioEntry
    /// Hosts the source and the target name (index into the topology's hosts).
    public let sources: [UInt32]
    public let targets: [UInt32]
    /// DDoS: the outside hosts whose flood it is. DNS tunnels: the internal resolvers (empty: the
    /// target directly).
    public let helpers: [UInt32]
    public let ports: [UInt16]
    /// Unix milliseconds of the first occurrence.
    public let firstMs: Int64
    /// Shards that draw its occurrences (the source's; a DDoS's target's).
    public let ownerShards: Set<Int>
    /// Service incidents: whether an occurrence hits every target (a place naming them), or one.
    public let hitsEveryTarget: Bool
    /// Which source an occurrence starts at: by activity (a busy machine is likelier to be the one
    /// phished, and its own traffic hides the incident's).
    let sourcePick: AliasTable

    /// A place that names no host, or a family a scenario cannot run.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// Compiles the entries against `topology`; the first problem is reported with its path
    /// (`scenarios[2].target`).
    public static func compile(_ entries: [ScenarioEntry], topology: Topology, startMs: Int64) throws(Failure) -> [ScenarioPlan] {
        var plans: [ScenarioPlan] = []
        for (i, entry) in entries.enumerated() {
            plans.append(try ScenarioPlan(entry, index: i, topology: topology, startMs: startMs))
        }
        return plans
    }

    init(_ entry: ScenarioEntry, index i: Int, topology: Topology, startMs: Int64) throws(Failure) {
        let path = "scenarios[\(i)]"
        guard ScenarioEntry.families.contains(entry.family) else {
            throw Failure(path: path + ".family", reason: "\(entry.family.name) is not a scenario family (\(ScenarioEntry.families.map(\.name).joined(separator: ", ")))")
        }
        self.entry = entry
        let internalServers = topology.roles.indices.filter { topology.roles[$0].isInternal && !topology.roles[$0].serves.isEmpty && topology.roles[$0].purpose == .declared }
        let compromisable = topology.roles.indices.filter {
            topology.roles[$0].isInternal && topology.roles[$0].purpose == .declared && [.workstation, .web, .api, .db].contains(topology.roles[$0].kind)
        }
        func hosts(ofRoles roles: [Int]) -> [UInt32] { roles.flatMap { topology.roles[$0].hosts.map { UInt32($0) } } }
        func resolve(_ place: ScenarioEntry.Place, source: Bool, key: String) throws(Failure) -> [UInt32] {
            let found: [UInt32]
            switch place {
            case .address(let address):
                found = topology.hosts.firstIndex { $0.address == address }.map { [UInt32($0)] } ?? []
            case .network(let network):
                found = topology.hosts.indices.filter { network.contains(topology.hosts[$0].address) }.map { UInt32($0) }
            case .role(let name):
                guard let role = topology.role(named: name) else {
                    throw Failure(path: path + "." + key, reason: "no role named \(name) (roles: \(topology.roles.map(\.name).joined(separator: ", ")))")
                }
                found = topology.roles[role].hosts.map { UInt32($0) }
            case .randomInternal:
                found = hosts(ofRoles: source ? compromisable : internalServers)
            case .randomExternal:
                let purpose: Role.Purpose = source ? .scanSources : .exfiltrationTargets
                found = hosts(ofRoles: topology.roles.indices.filter { topology.roles[$0].purpose == purpose })
            }
            guard !found.isEmpty else { throw Failure(path: path + "." + key, reason: "\(place) names no host of the network") }
            return found
        }
        sources = try resolve(entry.source, source: true, key: "source")
        sourcePick = AliasTable(weights: sources.map { Double(max(topology.hosts[Int($0)].activity, 1e-6)) })
        targets = try resolve(entry.target, source: false, key: "target")
        // Who may do what, as the family needs it.
        let inside = { (host: UInt32) in topology.hosts[Int(host)].isInternal }
        switch entry.family {
        case .exfiltration, .dnsTunnel, .beaconing:
            guard sources.allSatisfy(inside) else { throw Failure(path: path + ".source", reason: "\(entry.family.name) starts at internal hosts") }
            guard !targets.contains(where: inside) else { throw Failure(path: path + ".target", reason: "\(entry.family.name) goes to outside hosts") }
        case .lateralMovement:
            guard sources.allSatisfy(inside), targets.allSatisfy(inside) else {
                throw Failure(path: path + (sources.allSatisfy(inside) ? ".target" : ".source"), reason: "lateral movement is between internal hosts")
            }
        case .ddos, .bruteForce, .portScan:
            guard targets.allSatisfy(inside) else { throw Failure(path: path + ".target", reason: "\(entry.family.name) targets internal hosts") }
        case .serviceFailure:
            guard (entry.intensity ?? 0) <= 1 else { throw Failure(path: path + ".intensity", reason: "the share of sessions that fail is at most 1") }
        default:
            break
        }
        switch entry.family {
        case .ddos:
            let outside = topology.roles.indices.filter { topology.roles[$0].purpose == .noiseSources || topology.roles[$0].purpose == .scanSources }
            let bots = hosts(ofRoles: outside)
            guard !bots.isEmpty else { throw Failure(path: path + ".sources", reason: "the network has no outside hosts to flood from") }
            helpers = Array(bots.prefix(entry.sources))
        case .dnsTunnel:
            helpers = topology.resolvers
        default:
            helpers = []
        }
        switch entry.family {
        case .portScan: ports = entry.ports ?? []
        case .bruteForce: ports = entry.ports ?? [22]
        case .lateralMovement: ports = entry.ports ?? [445, 3389, 22, 5985]
        case .ddos: ports = entry.ports ?? [443]
        case .beaconing, .exfiltration: ports = entry.ports ?? [443]
        default: ports = entry.ports ?? [53]
        }
        firstMs = entry.startAtMs ?? (startMs + (entry.startOffsetMs ?? 0))
        // (A service incident starts no sessions: the sessions its servers serve ask for it.)
        let owners = entry.family.isService ? [] : entry.family == .ddos ? targets : sources
        ownerShards = Set(owners.map { Topology.shard(ofHost: Int($0)) })
        switch entry.target {
        case .randomInternal, .randomExternal: hitsEveryTarget = false
        default: hitsEveryTarget = entry.family.isService
        }
    }

    /// The hosts of occurrence `k`: its source, and its target (for scans and lateral movement
    /// over many hosts, the first of them).
    @inline(__always)
    public func hosts(seed: UInt64, index: Int, occurrence k: UInt64) -> (source: UInt32, target: UInt32) {
        var rng = WyRand(seed: SeedMixer.mix(seed, 0x5ce7_a210 | UInt64(index) << 32, k))
        let source = sources[sourcePick.pick(&rng)]
        return (source, target(Int(rng.below(UInt64(targets.count))), avoiding: source))
    }

    /// Target `index`, or the next one when it is `source` itself (and there is another).
    @inline(__always)
    func target(_ index: Int, avoiding source: UInt32) -> UInt32 {
        targets[index] == source && targets.count > 1 ? targets[(index + 1) % targets.count] : targets[index]
    }

    /// The host whose shard draws occurrence `k`.
    @inline(__always)
    public func owner(seed: UInt64, index: Int, occurrence k: UInt64) -> UInt32 {
        let (source, target) = hosts(seed: seed, index: index, occurrence: k)
        return entry.family == .ddos ? target : source
    }

    /// Whether the entry's scans or lateral movement walk many hosts (a place naming a set).
    public var walksTargets: Bool {
        switch entry.target {
        case .address: false
        default: entry.family == .lateralMovement || (entry.family == .portScan && ports.count <= 16 && !ports.isEmpty)
        }
    }
}
