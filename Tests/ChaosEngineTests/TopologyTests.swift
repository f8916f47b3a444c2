import ChaosEngine
import Testing
import TelemetryModel

@Suite struct TopologyTests {
    static let topology = Topology(declaration: .standard, seed: 42)

    @Test func hostsAreDistinctAndInsideTheirRolesNetworks() {
        let topology = Self.topology
        #expect(Set(topology.hosts.map(\.address)).count == topology.hosts.count)
        for role in topology.roles where role.purpose == .declared {
            let declared = NetworkDeclaration.standard.roles.first { $0.name == role.name }!
            for index in role.hosts {
                let host = topology.hosts[index]
                #expect(declared.networks.contains { $0.contains(host.address) })
                #expect(host.isInternal == !role.kind.isExternal)
                if let hosts = declared.hosts { #expect(role.hosts.count == hosts) }
            }
        }
        // AWS keeps the first four and the last address of a subnet: no host sits there.
        for host in topology.hosts where host.isInternal {
            let subnet = topology.subnets[Int(host.subnet)].cidr
            guard subnet.prefixLength <= 28 else { continue }
            let offset = host.address.value - subnet.network.value
            #expect(offset >= 4 && UInt64(offset) < subnet.size - 1)
        }
    }

    @Test func identityIsFixedBySeedAndDiffersAcrossSeeds() {
        let again = Topology(declaration: .standard, seed: 42)
        #expect(again.hosts == Self.topology.hosts)
        let other = Topology(declaration: .standard, seed: 43)
        #expect(other.hosts != Self.topology.hosts)
        let a = Self.topology.vocabulary(generatorID: "g"), b = again.vocabulary(generatorID: "g")
        #expect(a.hosts == b.hosts && a.identities == b.identities)
        // Internal hosts carry their VPC's account, region and environment.
        for (index, host) in Self.topology.hosts.enumerated() where host.isInternal {
            let vpc = Self.topology.vpcs[Self.topology.subnets[Int(host.subnet)].vpc]
            let identity = a.identities[a.hosts[index].identity!]
            #expect(identity.accountID == vpc.account && identity.region == vpc.region && identity.environment == vpc.environment)
        }
    }

    @Test func activityIsHeavyTailed() {
        let workstations = Self.topology.roles.first { $0.name == "workstation" }!.hosts
        let activity = workstations.map { Double(Self.topology.hosts[$0].activity) }.sorted(by: >)
        let top = activity.prefix(activity.count / 100).reduce(0, +) / activity.reduce(0, +)
        #expect(top > 0.3, "the top 1% of workstations hold \(top) of the activity")
    }

    @Test func theBuiltInNetworkIsValidAndSoIsTheShorthand() throws {
        try NetworkDeclaration.standard.validate()
        let shorthand = try NetworkDeclaration(
            clientSpecs: ["10.1.0.0/16"], serviceSpecs: ["web=10.0.1.0/24:tcp/443*40", "db=10.0.3.0/26:tcp/5432<web*8", "s3.amazonaws.com=52.216.0.0/15:tcp/443*6"],
            exfiltrationSpecs: ["203.0.113.0/24"], scanSourceSpecs: ["45.33.32.0/24"]
        )
        try shorthand.validate()
        #expect(shorthand.roles.map(\.name) == ["clients", "web", "db", "s3.amazonaws.com"])
        #expect(shorthand.roles[0].kind == .workstation && shorthand.roles[2].kind == .db && shorthand.roles[3].kind == .storage)
        #expect(shorthand.roles[2].clients.map(\.role) == ["web"])
        #expect(shorthand.vpcs.count == 1)
    }

    @Test(arguments: ["network.roles[web].vpc", "network.roles[db].clients", "network.roles[web].subnets", "network.roles[web].hosts", "network.window", "network.vpcs[1].cidr"])
    func invalidDeclarationsNameTheirPath(_ path: String) {
        var network = NetworkDeclaration.standard
        let web = network.roles.firstIndex { $0.name == "web" }!
        switch path {
        case "network.roles[web].vpc": network.roles[web].vpc = "nowhere"
        case "network.roles[db].clients": network.roles[network.roles.firstIndex { $0.name == "db" }!].clients = [("nobody", 1)]
        case "network.roles[web].subnets": network.roles[web].networks = [IPv4Network("10.9.0.0/24")!]
        case "network.roles[web].hosts": network.roles[web].hosts = 10_000
        case "network.window": network.windowMs = 10
        default: network.vpcs[1].cidr = IPv4Network("10.0.0.0/8")!
        }
        #expect(throws: NetworkDeclarationError.self) { try network.validate() }
        do { try network.validate() } catch { #expect(error.path == path, "\(error)") }
    }
}

@Suite struct LoadCurveTests {
    @Test func weeklyMeanIsOneAndTheShapeIsAsConfigured() {
        let curve = LoadCurve(peakHour: 14, peakToTrough: 4, weekendFactor: 0.5, utcOffsetSeconds: -5 * 3_600)
        // 2026-11-23 is a Monday; sample every minute of the week.
        let monday: Double = 1_795_392_000
        var sum = 0.0
        for minute in 0..<10_080 { sum += curve.value(at: monday + Double(minute) * 60) }
        #expect(abs(sum / 10_080 - 1) < 1e-3)
        // Peak at 14:00 local (19:00 UTC), trough twelve hours later, four times apart.
        let peak = curve.value(at: monday + 19 * 3_600), trough = curve.value(at: monday + 31 * 3_600)
        #expect(abs(peak / trough - 4) < 1e-6)
        // Saturday at the same local hour is half of Monday.
        #expect(abs(curve.value(at: monday + 5 * 86_400 + 19 * 3_600) / peak - 0.5) < 1e-6)
        #expect(LoadCurve.flat.value(at: monday) == 1)
    }
}
