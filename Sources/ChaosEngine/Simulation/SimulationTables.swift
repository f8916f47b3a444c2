import TelemetryModel

/// A range of the alias arena: a weighted pick among `count` values in constant time.
struct AliasSpan: Sendable {
    var offset: Int32
    var count: Int32

    static let empty = AliasSpan(offset: 0, count: 0)
}

/// One column of an alias table with both of its values, so a pick reads one entry.
struct AliasEntry: Sendable {
    /// The column's own value wins when the draw's low 32 bits are below this.
    var threshold: UInt32
    var value: UInt32
    var alias: UInt32
}

/// What drawing a session reads of a host: 16 bytes, one cache line for four hosts.
struct HostFacts: Sendable {
    var address: IPv4Address
    var linkMbps: UInt32
    var rttMs: Float
    /// The VPC, or -1 outside every VPC.
    var vpc: Int16
    var windows: Bool
    var role: UInt8
}

/// What a session of one traffic edge needs to know about it, as plain values.
struct EdgeFacts: Sendable {
    var from: Int32
    var to: Int32
    var fromKind: RoleKind
    var toKind: RoleKind
    /// The edge's endpoints (and their profiles) in the arenas.
    var endpointOffset: Int32
    var endpointCount: Int32
    /// Which endpoint a new session uses, and which one a session running at the start uses.
    var endpointPick: AliasSpan
    var runningPick: AliasSpan
}

/// Flat, pointer-addressed copies of everything a session reads when it is drawn (hosts, VPC
/// distances, weighted picks, edges, profiles), so that drawing touches no reference counts and
/// no bounds-checked arrays, and as little memory as possible. Built once per run; immutable.
///
/// Sendable: immutable after `init`: every stored property is a `let`, and the buffers behind `hosts`,
/// `vpcRTT`, `arena`, `serverPick`, `sourcePick`, `edges`, `endpoints`, `profiles`, `curves` and
/// `curveFlat` are written only in `init`; the shard simulators only read them.
final class SimulationTables: @unchecked Sendable {
    let hosts: UnsafeMutablePointer<HostFacts>
    let hostCount: Int
    let vpcCount: Int
    /// Milliseconds added to a round trip between two VPCs (`a * vpcCount + b`).
    let vpcRTT: UnsafeMutablePointer<Float>
    let arena: UnsafeMutablePointer<AliasEntry>
    let arenaCount: Int
    /// Per role: which of its hosts a session goes to.
    let serverPick: UnsafeMutablePointer<AliasSpan>
    let roleCount: Int
    /// Per shard and process (`shard * processCount + p`): which host starts a session (processes
    /// with the same sources share their entries).
    let sourcePick: UnsafeMutablePointer<AliasSpan>
    let processCount: Int
    let edges: UnsafeMutablePointer<EdgeFacts>
    let edgeCount: Int
    let endpoints: UnsafeMutablePointer<ServiceEndpoint>
    let profiles: UnsafeMutablePointer<SessionProfile>
    let endpointTotal: Int
    /// Load curves by minute of the week, one block of ``CurveTable/minutesPerWeek`` per role;
    /// `curveFlat[role]` when the role's curve is flat.
    let curves: UnsafeMutablePointer<Float>
    let curveFlat: UnsafeMutablePointer<Bool>

    init(topology: Topology, edges edgeList: [TrafficEdge], processes: [ProcessSpec], sources: [[FlowSimulation.SourceHosts]], curves roleCurves: [CurveTable]) {
        let week = CurveTable.minutesPerWeek
        curves = .allocate(capacity: max(roleCurves.count, 1) * week)
        curveFlat = .allocate(capacity: max(roleCurves.count, 1))
        for (role, curve) in roleCurves.enumerated() {
            curveFlat[role] = curve.isFlat
            for minute in 0..<week { curves[role * week + minute] = curve.isFlat ? 1 : Float(curve.value(atMs: Int64(minute) * 60_000)) }
        }
        var entries: [AliasEntry] = []
        func add(_ weights: [Double], values: [UInt32]) -> AliasSpan {
            guard !values.isEmpty else { return .empty }
            let span = AliasSpan(offset: Int32(entries.count), count: Int32(values.count))
            if values.count == 1 {
                entries.append(AliasEntry(threshold: .max, value: values[0], alias: values[0]))
            } else {
                let table = AliasTable(weights: weights)
                for i in values.indices {
                    let threshold = table.thresholds[i]
                    entries.append(AliasEntry(
                        threshold: threshold == .max ? .max : UInt32(threshold >> 32), value: values[i], alias: values[Int(table.aliases[i])]
                    ))
                }
            }
            return span
        }
        hostCount = topology.hosts.count
        hosts = .allocate(capacity: max(hostCount, 1))
        for (i, host) in topology.hosts.enumerated() {
            hosts[i] = HostFacts(
                address: host.address, linkMbps: host.linkMbps, rttMs: host.rttMs, vpc: topology.vpc(ofHost: i).map { Int16($0) } ?? -1,
                windows: host.windows, role: UInt8(truncatingIfNeeded: host.role)
            )
        }
        vpcCount = max(topology.vpcs.count, 1)
        vpcRTT = .allocate(capacity: vpcCount * vpcCount)
        for a in 0..<vpcCount {
            for b in 0..<vpcCount {
                let sameRegion = a < topology.vpcs.count && b < topology.vpcs.count && topology.vpcs[a].region == topology.vpcs[b].region
                vpcRTT[a * vpcCount + b] = a == b ? 0 : sameRegion ? 0.9 : 68
            }
        }
        roleCount = topology.roles.count
        var serverSpans: [AliasSpan] = []
        for role in topology.roles {
            let weights = role.hosts.indices.map { _ in 1.0 }
            let hostIDs = role.hosts.map { UInt32($0) }
            serverSpans.append(role.kind.serverSkew == 0 ? add(weights, values: hostIDs) : add(Self.weights(role.serverTable), values: hostIDs))
        }
        processCount = processes.count
        var sourceSpans: [AliasSpan] = []
        for (shard, local) in sources.enumerated() {
            var shared: [[Int]: AliasSpan] = [:]
            for (p, process) in processes.enumerated() {
                if let span = shared[process.sources] {
                    sourceSpans.append(span)
                    continue
                }
                let hostsHere = local[p].hosts
                let span = add(hostsHere.map { Double(topology.hosts[Int($0)].activity) }, values: hostsHere)
                shared[process.sources] = span
                sourceSpans.append(span)
            }
            _ = shard
        }
        var facts: [EdgeFacts] = []
        var endpointList: [ServiceEndpoint] = []
        var profileList: [SessionProfile] = []
        for edge in edgeList {
            let fromKind = topology.roles[edge.from].kind, toKind = topology.roles[edge.to].kind
            let offset = Int32(endpointList.count)
            endpointList += edge.endpoints
            profileList += edge.endpoints.map { SessionProfile.of($0.appProtocol, client: fromKind, server: toKind) }
            let indexes = (0..<UInt32(edge.endpoints.count)).map { $0 }
            facts.append(EdgeFacts(
                from: Int32(edge.from), to: Int32(edge.to), fromKind: fromKind, toKind: toKind, endpointOffset: offset,
                endpointCount: Int32(edge.endpoints.count), endpointPick: add(edge.endpoints.map(\.popularity), values: indexes),
                runningPick: edge.runningWeights.map { add($0, values: indexes) } ?? .empty
            ))
        }
        func copy<T>(_ array: [T]) -> UnsafeMutablePointer<T> {
            let pointer = UnsafeMutablePointer<T>.allocate(capacity: max(array.count, 1))
            pointer.initialize(from: array, count: array.count)
            return pointer
        }
        serverPick = copy(serverSpans)
        sourcePick = copy(sourceSpans)
        edges = copy(facts)
        edgeCount = facts.count
        endpoints = copy(endpointList)
        profiles = copy(profileList)
        endpointTotal = endpointList.count
        arena = copy(entries)
        arenaCount = entries.count
    }

    /// The weights an alias table was built from, recovered (for the server picks).
    private static func weights(_ table: AliasTable) -> [Double] {
        // Column i's share is its own threshold plus every column that aliases to it.
        let n = table.thresholds.count
        var weights = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let own = table.thresholds[i] == .max ? 1 : Double(table.thresholds[i]) * 0x1.0p-64
            weights[i] += own
            weights[Int(table.aliases[i])] += 1 - own
        }
        return weights
    }

    deinit {
        curves.deallocate()
        curveFlat.deallocate()
        hosts.deallocate()
        vpcRTT.deallocate()
        arena.deallocate()
        serverPick.deallocate()
        sourcePick.deallocate()
        edges.deallocate()
        endpoints.deallocate()
        profiles.deallocate()
    }

    /// A weighted pick from `span`.
    @inline(__always)
    func pick(_ span: AliasSpan, _ rng: inout WyRand) -> UInt32 {
        let product = rng.next().multipliedFullWidth(by: UInt64(span.count))
        let entry = arena[Int(span.offset) + Int(product.high)]
        return UInt32(truncatingIfNeeded: product.low >> 32) < entry.threshold ? entry.value : entry.alias
    }

    @inline(__always)
    func source(shard: Int, process: Int) -> AliasSpan { sourcePick[shard * processCount + process] }

    /// Role `role`'s load curve during the minute holding `ms`.
    @inline(__always)
    func curve(role: Int, atMs ms: Int64) -> Double {
        if curveFlat[role] { return 1 }
        let week = Int64(CurveTable.minutesPerWeek)
        let minute = (ms >= 0 ? ms / 60_000 : (ms - 59_999) / 60_000) % week
        return Double(curves[role * Int(week) + Int(minute < 0 ? minute + week : minute)])
    }
}
