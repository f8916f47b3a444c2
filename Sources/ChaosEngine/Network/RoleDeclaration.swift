import TelemetryModel

/// A group of hosts with one role (workstations, web servers, a database tier, a public DNS
/// resolver, users on the internet): where their addresses come from, how many there are, the
/// ports they serve, who talks to them and how much.
public struct RoleDeclaration: Sendable, Hashable {
    public var name: String
    public var kind: RoleKind
    /// The VPC of an internal role (nil for external roles).
    public var vpc: String?
    /// Where the hosts' addresses come from (subnets inside the VPC, or outside ranges).
    public var networks: [IPv4Network]
    /// How many hosts; nil: every usable address of `networks` (at most ``maximumHosts``).
    public var hosts: Int?
    /// The ports the role's hosts serve.
    public var serves: [ServiceEndpoint]
    /// The roles that talk to this one, with relative weights.
    public var clients: [(role: String, weight: Double)]
    /// This role's share of all sessions (split among `clients` by their weights).
    public var weight: Double
    /// Link speed of each host, bits per second (nil: the kind's).
    public var linkBitsPerSecond: Double?
    /// Zipf exponent of the hosts' activity as clients (nil: the kind's).
    public var activity: Double?
    /// The role's load curve as a client, over the network's.
    public var load: LoadCurveOverride
    /// The DNS name of an external role's hosts (nil: the role name); internal hosts are
    /// `<name>-<n>.<domain>`.
    public var hostName: String?

    /// A role never holds more hosts than this.
    public static let maximumHosts = 1_000_000

    public init(
        name: String, kind: RoleKind? = nil, vpc: String? = nil, networks: [IPv4Network], hosts: Int? = nil,
        serves: [ServiceEndpoint] = [], clients: [(role: String, weight: Double)] = [], weight: Double = 0,
        linkBitsPerSecond: Double? = nil, activity: Double? = nil, load: LoadCurveOverride = LoadCurveOverride(), hostName: String? = nil
    ) {
        self.name = name
        self.kind = kind ?? RoleKind.inferred(from: name)
        self.vpc = vpc
        self.networks = networks
        self.hosts = hosts
        self.serves = serves
        self.clients = clients
        self.weight = weight
        self.linkBitsPerSecond = linkBitsPerSecond
        self.activity = activity
        self.load = load
        self.hostName = hostName
    }

    public static func == (lhs: RoleDeclaration, rhs: RoleDeclaration) -> Bool {
        lhs.name == rhs.name && lhs.kind == rhs.kind && lhs.vpc == rhs.vpc && lhs.networks == rhs.networks && lhs.hosts == rhs.hosts
            && lhs.serves == rhs.serves && lhs.clients.map(\.role) == rhs.clients.map(\.role) && lhs.clients.map(\.weight) == rhs.clients.map(\.weight)
            && lhs.weight == rhs.weight && lhs.linkBitsPerSecond == rhs.linkBitsPerSecond && lhs.activity == rhs.activity
            && lhs.load == rhs.load && lhs.hostName == rhs.hostName
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(networks)
    }

    /// The number of addresses of `networks` hosts can have: inside a VPC, AWS keeps the first four
    /// and the last address of every subnet of /28 or larger; outside, the network and broadcast
    /// addresses of networks larger than /31 are not hosts.
    public var addressCount: UInt64 { networks.reduce(0) { $0 + Self.usable($1, inside: vpc != nil).count } }

    /// The first host offset and the number of host addresses of a network.
    public static func usable(_ network: IPv4Network, inside: Bool) -> (first: UInt64, count: UInt64) {
        if inside && network.prefixLength <= 28 { return (4, network.size - 5) }
        if network.prefixLength >= 31 { return (0, network.size) }
        return (1, network.size - 2)
    }
}
