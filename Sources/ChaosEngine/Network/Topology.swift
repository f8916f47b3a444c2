import Foundation
import TelemetryModel

/// The compiled network: every host with its identity, fixed for the run and derived from the
/// declaration and the seed. Hosts are spread over ``shardCount`` shards (host `h` in shard
/// `h % shardCount`); a shard owns the sessions its hosts start, so shards can be simulated
/// apart, on different threads or machines.
public struct Topology: Sendable {
    public static let shardCount = 64

    public let declaration: NetworkDeclaration
    public let seed: UInt64
    public let vpcs: [VPCDeclaration]
    public let subnets: [Subnet]
    public let roles: [Role]
    public let hosts: [Host]

    /// Names of the tunnel endpoints exfiltrated data goes to.
    public static let tunnelDomains = [
        "cdn-sync.xyz", "telemetry-upd.top", "ns1.q7x-relay.net", "static-cache.cc", "upd.micro-soft.support", "img.pxl-track.io",
    ]
    /// Outside ranges internet background noise comes from.
    public static let noiseNetworks = [
        "5.0.0.0/8", "14.0.0.0/8", "27.0.0.0/8", "36.0.0.0/8", "61.0.0.0/8", "80.0.0.0/8", "91.0.0.0/8", "103.0.0.0/8",
        "118.0.0.0/8", "185.0.0.0/8", "193.0.0.0/8", "222.0.0.0/8",
    ].map { IPv4Network($0)! }

    /// Compiles a declaration (call ``NetworkDeclaration/validate()`` first).
    public init(declaration: NetworkDeclaration, seed: UInt64) {
        self.declaration = declaration
        self.seed = seed
        vpcs = declaration.vpcs
        var subnets: [Subnet] = []
        var roles: [Role] = []
        var hosts: [Host] = []

        var hidden: [(RoleDeclaration, Role.Purpose)] = [
            (RoleDeclaration(name: "exfil-targets", kind: .external, networks: declaration.exfiltrationTargets,
                             hosts: Int(min(declaration.exfiltrationTargets.reduce(0) { $0 + $1.hostCount }, 256))), .exfiltrationTargets),
            (RoleDeclaration(name: "scan-sources", kind: .external, networks: declaration.scanSources,
                             hosts: Int(min(declaration.scanSources.reduce(0) { $0 + $1.hostCount }, 256))), .scanSources),
        ]
        if declaration.background.internetNoiseShare > 0 {
            hidden.append((RoleDeclaration(name: "internet-noise", kind: .internet, networks: Self.noiseNetworks,
                                           hosts: declaration.background.noiseSources), .noiseSources))
        }
        let all = declaration.roles.map { ($0, Role.Purpose.declared) } + hidden
        for (roleIndex, (role, purpose)) in all.enumerated() {
            var rng = WyRand(seed: seed, stream: 0x4057, index: SeedMixer.finalize(UInt64(roleIndex)) ^ FNV1a.hash(role.name))
            let vpcIndex = role.vpc.flatMap { name in declaration.vpcs.firstIndex { $0.name == name } }
            // Subnets of an internal role: one per network, in a zone of the VPC's region.
            var subnetIndexes: [Int] = []
            if let vpcIndex {
                for network in role.networks {
                    subnetIndexes.append(subnets.count)
                    subnets.append(Subnet(cidr: network, vpc: vpcIndex, zone: 1 + Int(SeedMixer.mix(seed, 0x2a2a, UInt64(network.network.value)) % 3)))
                }
            }
            let count = role.hosts ?? Int(min(role.addressCount, UInt64(RoleDeclaration.maximumHosts)))
            let addresses = Self.placeAddresses(role.networks, count: count, inside: vpcIndex != nil, rng: &rng)
            let activityExponent = role.activity ?? role.kind.defaultActivity
            let ranks = Self.permutation(count: count, rng: &rng)
            let link = role.linkBitsPerSecond ?? role.kind.defaultLinkBitsPerSecond
            let first = hosts.count
            for i in 0..<count {
                let (address, networkIndex) = addresses[i]
                var hostRNG = WyRand(seed: seed, stream: 0x4057_0001, index: UInt64(address.value) << 16 | UInt64(roleIndex))
                let activity = activityExponent == 0 ? 1 : Float(1 / pow(Double(ranks[i] + 1), activityExponent))
                let linkMbps: UInt32
                let rtt: Float
                if role.kind == .internet {
                    // Home and office connections: 20 Mbit/s to the role's link, log-uniform.
                    let low = log(20e6), high = log(max(link, 21e6))
                    linkMbps = UInt32(exp(low + (high - low) * hostRNG.unit()) / 1e6)
                    rtt = Float(Distributions.quickLogNormal(&hostRNG, median: 38, sigma: 0.6, range: 6...320))
                } else if vpcIndex == nil {
                    linkMbps = UInt32(min(link / 1e6, 4e9))
                    rtt = Float(Distributions.quickLogNormal(&hostRNG, median: purpose == .declared ? 9 : 60, sigma: 0.5, range: 1...300))
                } else {
                    linkMbps = UInt32(min(link / 1e6, 4e9))
                    rtt = Float(0.08 + 0.1 * hostRNG.unit())
                }
                hosts.append(Host(
                    address: address, role: UInt16(roleIndex), subnet: vpcIndex == nil ? Host.outside : UInt16(subnetIndexes[networkIndex]),
                    linkMbps: max(linkMbps, 1), activity: activity, rttMs: rtt, windows: hostRNG.unit() < role.kind.windowsShare, number: UInt32(i + 1)
                ))
            }
            let skew = role.kind.serverSkew
            let serverWeights = (0..<count).map { skew == 0 ? 1.0 : 1 / pow(Double(ranks[$0] + 1), skew) }
            let names: [String] = switch purpose {
            case .exfiltrationTargets: Self.tunnelDomains
            case .declared: [role.hostName ?? role.name]
            default: ["-"]
            }
            roles.append(Role(
                name: role.name, kind: role.kind, purpose: purpose, vpc: vpcIndex, hosts: first..<hosts.count,
                curve: purpose == .declared ? declaration.curve(of: role) : .flat, serves: role.serves, names: names,
                securityGroup: UInt32(SeedMixer.mix(seed, 0x5e5e, FNV1a.hash(role.name)) % 1_000_000),
                activity: activityExponent, serverTable: AliasTable(weights: serverWeights)
            ))
        }
        self.subnets = subnets
        self.roles = roles
        self.hosts = hosts
    }

    // MARK: - Lookups

    /// The internal name servers (hosts of internal roles of kind `dns`).
    public var resolvers: [UInt32] {
        roles.filter { $0.isInternal && $0.kind == .dns }.flatMap { $0.hosts.map { UInt32($0) } }
    }

    /// The role named `name`.
    public func role(named name: String) -> Int? { roles.firstIndex { $0.name == name } }

    /// The roles added for a purpose (the exfiltration targets, the scan sources, the noise).
    public func role(for purpose: Role.Purpose) -> Int? { roles.firstIndex { $0.purpose == purpose } }

    /// The shard that owns host `index`.
    @inline(__always)
    public static func shard(ofHost index: Int) -> Int { index % shardCount }

    /// The VPC of an internal host.
    @inline(__always)
    public func vpc(ofHost index: Int) -> Int? {
        let subnet = hosts[index].subnet
        return subnet == Host.outside ? nil : subnets[Int(subnet)].vpc
    }

    // MARK: - Building

    /// A permutation of `0..<count` (an affine map with a multiplier prime to `count`).
    static func permutation(count: Int, rng: inout WyRand) -> [Int] {
        guard count > 1 else { return Array(0..<count) }
        let n = UInt64(count)
        var a = 1 + rng.below(n - 1)
        while gcd(a, n) != 1 { a = a % (n - 1) + 1 }
        let b = rng.below(n)
        return (0..<n).map { Int((mulMod(a, $0, n) &+ b) % n) }
    }

    static func gcd(_ a: UInt64, _ b: UInt64) -> UInt64 { b == 0 ? a : gcd(b, a % b) }

    /// `a * b % m` without overflow.
    @inline(__always)
    static func mulMod(_ a: UInt64, _ b: UInt64, _ m: UInt64) -> UInt64 {
        m.dividingFullWidth(a.multipliedFullWidth(by: b)).remainder
    }

    /// `count` distinct addresses spread over `networks` (inside a VPC, the first four and the last
    /// address of a subnet of /28 or larger are reserved, as AWS does), with the network each is in.
    static func placeAddresses(_ networks: [IPv4Network], count: Int, inside: Bool, rng: inout WyRand) -> [(IPv4Address, Int)] {
        let ranges = networks.map { RoleDeclaration.usable($0, inside: inside) }
        let total = ranges.reduce(0) { $0 + $1.count }
        precondition(UInt64(count) <= total)
        // An affine permutation of the whole range, walked from 0: distinct addresses, scattered.
        var a = total > 1 ? 1 + rng.below(total - 1) : 1
        while total > 1 && gcd(a, total) != 1 { a = a % (total - 1) + 1 }
        let b = total > 0 ? rng.below(total) : 0
        let scatter = UInt64(count) < total
        var result: [(IPv4Address, Int)] = []
        result.reserveCapacity(count)
        for i in 0..<UInt64(count) {
            var g = scatter ? (mulMod(a, i, total) &+ b) % total : i
            var n = 0
            while g >= ranges[n].count {
                g -= ranges[n].count
                n += 1
            }
            result.append((IPv4Address(networks[n].network.value &+ UInt32(truncatingIfNeeded: ranges[n].first + g)), n))
        }
        return result
    }
}

