import TelemetryModel

/// The simulated network as configured: VPCs, roles of hosts and who talks to whom, the load
/// curve, the aggregation window, the normal traffic that looks like trouble, and the outside
/// places anomalies come from or go to. ``Topology`` compiles it into hosts.
public struct NetworkDeclaration: Sendable, Hashable {
    /// Internal host names end with it (`web-7.internal.prod`).
    public var domain: String
    /// A session longer than this becomes several records (NetFlow's active timeout, the VPC flow
    /// logs' aggregation interval), in milliseconds.
    public var windowMs: Int64
    public var vpcs: [VPCDeclaration]
    public var roles: [RoleDeclaration]
    public var traffic: [TrafficDeclaration]
    /// Applied to every role's curve (a role's own `load` wins; `shape: flat` here wins over all).
    public var load: LoadCurveOverride
    public var background: BackgroundDeclaration
    /// Outside hosts that exfiltrated data goes to.
    public var exfiltrationTargets: [IPv4Network]
    /// Outside hosts port scans come from.
    public var scanSources: [IPv4Network]

    public init(
        domain: String = "internal.prod", windowMs: Int64 = 60_000, vpcs: [VPCDeclaration], roles: [RoleDeclaration],
        traffic: [TrafficDeclaration] = [], load: LoadCurveOverride = LoadCurveOverride(), background: BackgroundDeclaration = BackgroundDeclaration(),
        exfiltrationTargets: [IPv4Network] = NetworkDeclaration.defaultExfiltrationTargets, scanSources: [IPv4Network] = NetworkDeclaration.defaultScanSources
    ) {
        self.domain = domain
        self.windowMs = windowMs
        self.vpcs = vpcs
        self.roles = roles
        self.traffic = traffic
        self.load = load
        self.background = background
        self.exfiltrationTargets = exfiltrationTargets
        self.scanSources = scanSources
    }

    public static let defaultExfiltrationTargets = [IPv4Network("203.0.113.0/24")!, IPv4Network("198.51.100.0/24")!]
    public static let defaultScanSources = [IPv4Network("192.168.1.99/32")!, IPv4Network("45.33.32.0/24")!]
    /// Allowed aggregation windows.
    public static let windowRange: ClosedRange<Int64> = 1_000...3_600_000

    /// The curve of `role` as a client: its kind's, then the network's `load`, then its own.
    public func curve(of role: RoleDeclaration) -> LoadCurve {
        if load.shape == .flat { return .flat }
        return load.merged(with: role.load).applied(to: role.kind.defaultLoad)
    }

    // MARK: - Checks

    /// Checks names, references, ranges and placement; the error names the part that is wrong.
    public func validate() throws(NetworkDeclarationError) {
        func fail(_ path: String, _ reason: String) -> NetworkDeclarationError { NetworkDeclarationError(path: path, reason: reason) }
        guard Self.windowRange.contains(windowMs) else { throw fail("network.window", "from 1s to 1h") }
        guard !domain.isEmpty, domain.allSatisfy({ $0.isLetter || $0.isNumber || "-.".contains($0) }) else {
            throw fail("network.domain", "letters, digits, '-' and '.'")
        }
        var vpcNames = Set<String>()
        for (i, vpc) in vpcs.enumerated() {
            let path = "network.vpcs[\(i)]"
            guard Self.isName(vpc.name) else { throw fail(path + ".name", "letters, digits, '-', '_' or '.'") }
            guard vpcNames.insert(vpc.name).inserted else { throw fail(path + ".name", "'\(vpc.name)' is declared twice") }
            guard vpc.account.count == 12, vpc.account.allSatisfy(\.isNumber) else { throw fail(path + ".account", "12 digits, such as 123456789012") }
            guard !vpc.region.isEmpty, !vpc.environment.isEmpty else { throw fail(path, "region and env must not be empty") }
            guard vpc.cidr.prefixLength >= 8 && vpc.cidr.prefixLength <= 28 else { throw fail(path + ".cidr", "a network from /8 to /28") }
            for other in vpcs[..<i] where other.cidr.overlaps(vpc.cidr) {
                throw fail(path + ".cidr", "\(vpc.cidr) overlaps VPC '\(other.name)' (\(other.cidr))")
            }
        }
        guard !roles.isEmpty else { throw fail("network.roles", "at least one role") }
        var roleNames = Set<String>()
        for (i, role) in roles.enumerated() {
            let path = "network.roles[\(role.name.isEmpty ? String(i) : role.name)]"
            guard Self.isName(role.name) else { throw fail(path + ".name", "letters, digits, '-', '_' or '.'") }
            guard roleNames.insert(role.name).inserted else { throw fail(path + ".name", "'\(role.name)' is declared twice") }
            guard !role.networks.isEmpty else { throw fail(path + ".subnets", "at least one network or address") }
            if role.kind.isExternal {
                guard role.vpc == nil else { throw fail(path + ".vpc", "an external role (\(role.kind.rawValue)) lives outside every VPC") }
            } else {
                guard let vpcName = role.vpc else { throw fail(path + ".vpc", "an internal role needs its VPC") }
                guard let vpc = vpcs.first(where: { $0.name == vpcName }) else { throw fail(path + ".vpc", "no VPC named '\(vpcName)'") }
                for network in role.networks where !vpc.cidr.covers(network) {
                    throw fail(path + ".subnets", "\(network) is not inside VPC '\(vpcName)' (\(vpc.cidr))")
                }
            }
            if let hosts = role.hosts {
                guard hosts >= 1, hosts <= RoleDeclaration.maximumHosts else { throw fail(path + ".hosts", "from 1 to \(RoleDeclaration.maximumHosts)") }
                guard UInt64(hosts) <= role.addressCount else { throw fail(path + ".hosts", "\(hosts) hosts do not fit in \(role.addressCount) usable addresses") }
            }
            guard role.weight >= 0, role.weight.isFinite else { throw fail(path + ".weight", "a number >= 0") }
            if role.weight > 0 && role.serves.isEmpty { throw fail(path + ".serves", "a role with a weight serves at least one port") }
            if role.weight > 0 && role.clients.isEmpty { throw fail(path + ".clients", "a role with a weight has clients") }
            if let link = role.linkBitsPerSecond, !(1e6...1e12).contains(link) { throw fail(path + ".link", "from 1Mbps to 1Tbps") }
            if let activity = role.activity, !(0...4).contains(activity) { throw fail(path + ".activity", "a Zipf exponent from 0 to 4") }
            try Self.check(role.load, path: path + ".load")
            for (j, other) in roles[..<i].enumerated() {
                for a in role.networks { for b in other.networks where a.overlaps(b) {
                    throw fail(path + ".subnets", "\(a) overlaps role '\(roles[j].name)' (\(b))")
                } }
            }
        }
        for role in roles {
            let path = "network.roles[\(role.name)].clients"
            for client in role.clients {
                guard roleNames.contains(client.role) else { throw fail(path, "no role named '\(client.role)'") }
                guard client.weight > 0, client.weight.isFinite else { throw fail(path, "weights must be > 0") }
                guard client.role != role.name else { throw fail(path, "a role is not its own client") }
            }
        }
        for (i, edge) in traffic.enumerated() {
            let path = "network.traffic[\(i)]"
            guard roleNames.contains(edge.from) else { throw fail(path + ".from", "no role named '\(edge.from)'") }
            guard let to = roles.first(where: { $0.name == edge.to }) else { throw fail(path + ".to", "no role named '\(edge.to)'") }
            guard edge.weight > 0, edge.weight.isFinite else { throw fail(path + ".weight", "a number > 0") }
            guard edge.from != edge.to else { throw fail(path, "from and to must differ") }
            if edge.ports == nil && to.serves.isEmpty { throw fail(path + ".ports", "'\(to.name)' serves no port, so name the ports") }
        }
        guard roles.contains(where: { $0.weight > 0 }) || !traffic.isEmpty else {
            throw fail("network.roles", "no traffic: give at least one role a weight and clients, or declare traffic")
        }
        try Self.check(load, path: "network.load")
        let b = background
        for (value, key) in [(b.refusedShare, "refused"), (b.resetShare, "resets"), (b.timeoutShare, "timeouts"), (b.largeUploadShare, "large_uploads"),
                             (b.dnsTXTShare, "dns_txt"), (b.dnsLongNameShare, "dns_long_names")] where !(0...0.5).contains(value) {
            throw fail("network.background.\(key)", "a share from 0 to 0.5")
        }
        guard b.refusedShare + b.resetShare + b.timeoutShare <= 0.5 else { throw fail("network.background", "refused + resets + timeouts at most 0.5") }
        guard (0...0.5).contains(b.internetNoiseShare) else { throw fail("network.background.internet_noise", "a share from 0 to 0.5") }
        guard (1...1_000_000).contains(b.noiseSources) else { throw fail("network.background.noise_sources", "from 1 to 1000000") }
        guard (1...100).contains(b.slowAtPeak) else { throw fail("network.background.slow_at_peak", "a factor from 1 to 100") }
        for (hour, key) in [(b.backupHour, "backup_hour"), (b.vulnerabilityScanHour, "vulnerability_scan.hour")] {
            if let hour, !(0..<24).contains(hour) { throw fail("network.background.\(key)", "an hour from 0 to 23.99") }
        }
        guard (1e6...1e13).contains(b.backupBytes) else { throw fail("network.background.backup_size", "from 1MB to 10TB") }
        guard (1...65_535).contains(b.vulnerabilityScanPorts) else { throw fail("network.background.vulnerability_scan.ports", "from 1 to 65535") }
        guard (0.1...60_000).contains(b.vulnerabilityScanSpacingMs) else { throw fail("network.background.vulnerability_scan.spacing_ms", "from 0.1 to 60000") }
        guard !exfiltrationTargets.isEmpty else { throw fail("network.exfil_targets", "at least one network") }
        guard !scanSources.isEmpty else { throw fail("network.scan_sources", "at least one network") }
        guard roles.contains(where: { !$0.kind.isExternal && !$0.serves.isEmpty }) else {
            throw fail("network.roles", "at least one internal role that serves a port (scans and noise need a target)")
        }
    }

    static func check(_ load: LoadCurveOverride, path: String) throws(NetworkDeclarationError) {
        if let hour = load.peakHour, !(0..<24).contains(hour) { throw NetworkDeclarationError(path: path + ".peak_hour", reason: "an hour from 0 to 23.99") }
        if let ratio = load.peakToTrough, !(1...1_000).contains(ratio) { throw NetworkDeclarationError(path: path + ".peak_to_trough", reason: "a ratio from 1 to 1000") }
        if let factor = load.weekendFactor, !(0.01...100).contains(factor) { throw NetworkDeclarationError(path: path + ".weekend_factor", reason: "a factor from 0.01 to 100") }
        if let offset = load.utcOffsetSeconds, !(-14 * 3600...14 * 3600).contains(offset) { throw NetworkDeclarationError(path: path + ".timezone", reason: "an offset from -14:00 to +14:00") }
    }

    static func isName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64 && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-._".contains($0)) }
    }
}

/// A network declaration that does not hold together; `path` names the configuration key.
public struct NetworkDeclarationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}

extension IPv4Network {
    /// Whether the two networks share an address.
    public func overlaps(_ other: IPv4Network) -> Bool {
        let length = min(prefixLength, other.prefixLength)
        let mask: UInt32 = length == 0 ? 0 : ~UInt32(0) << (32 - length)
        return network.value & mask == other.network.value & mask
    }

    /// Whether `other` lies entirely inside this network.
    public func covers(_ other: IPv4Network) -> Bool {
        other.prefixLength >= prefixLength && contains(other.network)
    }

    /// Whether the network is private address space (RFC 1918), where VPCs live.
    public var isPrivate: Bool {
        [IPv4Network("10.0.0.0/8")!, IPv4Network("172.16.0.0/12")!, IPv4Network("192.168.0.0/16")!].contains { $0.covers(self) }
    }
}
