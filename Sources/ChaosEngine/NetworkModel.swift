import TelemetryModel

/// The simulated network: client address ranges, services with roles, and the places anomalies
/// come from or go to. Every address and host name in the data is drawn from here.
public struct NetworkModel: Sendable, Hashable {
    /// Where internal clients (workstations, pods) live.
    public var clients: [IPv4Network]
    public var services: [NetworkService]
    /// Where exfiltration traffic goes (DNS tunnel endpoints outside).
    public var exfiltrationTargets: [IPv4Network]
    /// Where port scans come from.
    public var scanSources: [IPv4Network]
    /// Written in `tags.env`, with weights.
    public var environments: [(name: String, weight: Double)]
    /// Written in `tags.region`, with weights.
    public var regions: [(name: String, weight: Double)]
    /// Suffix of internal host names.
    public var internalDomain: String

    public init(
        clients: [IPv4Network], services: [NetworkService], exfiltrationTargets: [IPv4Network],
        scanSources: [IPv4Network], environments: [(name: String, weight: Double)] = NetworkModel.defaultEnvironments,
        regions: [(name: String, weight: Double)] = NetworkModel.defaultRegions, internalDomain: String = ".internal.prod"
    ) {
        self.clients = clients
        self.services = services
        self.exfiltrationTargets = exfiltrationTargets
        self.scanSources = scanSources
        self.environments = environments
        self.regions = regions
        self.internalDomain = internalDomain
    }

    // MARK: - Defaults

    public static let defaultClientSpecs = ["10.1.0.0/16", "10.2.0.0/20"]
    public static let defaultServiceSpecs = [
        "web=10.0.1.0/24:tcp/443+tcp/80*40",
        "api=10.0.2.0/24:tcp/8443+tcp/443*15",
        "db=10.0.3.0/26:tcp/5432+tcp/3306<web+api*8",
        "cache=10.0.4.0/27:tcp/6379<web+api*6",
        "dns=10.0.0.2+10.0.0.3:udp/53*10",
        "ntp=10.0.0.123:udp/123*2",
        "monitor=10.0.5.0/28:icmp<clients*3",
        "dns.google=8.8.8.8+8.8.4.4:udp/53+tcp/53*3",
        "one.one.one.one=1.1.1.1:udp/53*2",
        "s3.amazonaws.com=52.216.0.0/15:tcp/443*6",
        "api.github.com=140.82.112.0/20:tcp/443*3",
        "cdn.fastly.net=151.101.0.0/16:tcp/443*2",
    ]
    public static let defaultExfiltrationSpecs = ["203.0.113.0/24", "198.51.100.0/24"]
    public static let defaultScanSourceSpecs = ["192.168.1.99/32", "45.33.32.0/24"]
    public static let defaultEnvironments: [(name: String, weight: Double)] = [
        ("Production", 85), ("Staging", 10), ("Development", 5),
    ]
    public static let defaultRegions: [(name: String, weight: Double)] = [
        ("us-east-1", 50), ("us-west-2", 25), ("eu-west-1", 15), ("ap-southeast-1", 10),
    ]

    /// The built-in network.
    public static let standard: NetworkModel = try! NetworkModel(
        clientSpecs: defaultClientSpecs, serviceSpecs: defaultServiceSpecs,
        exfiltrationSpecs: defaultExfiltrationSpecs, scanSourceSpecs: defaultScanSourceSpecs
    )

    /// Builds a model from spec strings, checking that every source names a known service.
    public init(clientSpecs: [String], serviceSpecs: [String], exfiltrationSpecs: [String], scanSourceSpecs: [String]) throws(NetworkSpecError) {
        func networks(_ specs: [String], what: String, part: NetworkSpecError.Part) throws(NetworkSpecError) -> [IPv4Network] {
            guard !specs.isEmpty else { throw NetworkSpecError(spec: "", reason: "at least one \(what) network is needed", part: part) }
            var result: [IPv4Network] = []
            for spec in specs {
                guard let network = IPv4Network(spec.trimmingSpaces) else {
                    throw NetworkSpecError(spec: spec, reason: "not a CIDR network such as 10.1.0.0/16 (host bits must be zero)", part: part)
                }
                result.append(network)
            }
            return result
        }
        let clients = try networks(clientSpecs, what: "client", part: .clients)
        guard !serviceSpecs.isEmpty else { throw NetworkSpecError(spec: "", reason: "at least one service is needed") }
        var services: [NetworkService] = []
        for spec in serviceSpecs { services.append(try NetworkService(spec: spec)) }
        let names = Set(services.map(\.name))
        guard names.count == services.count else { throw NetworkSpecError(spec: serviceSpecs.joined(separator: " "), reason: "service names must be unique") }
        for service in services {
            for source in service.sources where source != "clients" && !names.contains(source) {
                throw NetworkSpecError(spec: service.spec, reason: "source '\(source)' is neither 'clients' nor a service name")
            }
        }
        guard services.contains(where: { !$0.isExternal }) else {
            throw NetworkSpecError(spec: serviceSpecs.joined(separator: " "), reason: "at least one internal service (a name without a dot) is needed as a scan target")
        }
        self.init(
            clients: clients, services: services,
            exfiltrationTargets: try networks(exfiltrationSpecs, what: "exfiltration target", part: .exfiltrationTargets),
            scanSources: try networks(scanSourceSpecs, what: "scan source", part: .scanSources)
        )
    }

    public static func == (lhs: NetworkModel, rhs: NetworkModel) -> Bool {
        lhs.clients == rhs.clients && lhs.services == rhs.services && lhs.exfiltrationTargets == rhs.exfiltrationTargets
            && lhs.scanSources == rhs.scanSources && lhs.internalDomain == rhs.internalDomain
            && lhs.environments.map(\.name) == rhs.environments.map(\.name) && lhs.regions.map(\.name) == rhs.regions.map(\.name)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(clients)
        hasher.combine(services)
    }
}
