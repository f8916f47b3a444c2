import TelemetryModel

extension NetworkDeclaration {
    /// The built-in client networks of the shorthand (`--clients`).
    public static let defaultClientSpecs = ["10.1.0.0/16", "10.2.0.0/20"]

    /// Hosts a shorthand role gets at most (every usable address up to this many).
    public static let shorthandInternalHosts = 4_096
    public static let shorthandExternalHosts = 1_024

    /// A network from the shorthand: client networks (`--clients`) and service spec strings
    /// (`--service NAME=CIDR[+CIDR]:PROTO/PORT[+...][<SOURCE[+...]][*WEIGHT]`). Clients become a
    /// workstation role named `clients`; each service a role of the kind its name suggests;
    /// internal roles are placed in one VPC per private address block they use.
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
        guard !names.contains("clients") else { throw NetworkSpecError(spec: serviceSpecs.joined(separator: " "), reason: "'clients' names the client networks, not a service") }
        for service in services {
            for source in service.sources where source != "clients" && !names.contains(source) {
                throw NetworkSpecError(spec: service.spec, reason: "source '\(source)' is neither 'clients' nor a service name")
            }
        }
        guard services.contains(where: { !$0.isExternal }) else {
            throw NetworkSpecError(spec: serviceSpecs.joined(separator: " "), reason: "at least one internal service (a name without a dot) is needed as a scan target")
        }
        // One VPC per private block in use.
        let blocks: [(name: String, cidr: IPv4Network)] = [("private-10", IPv4Network("10.0.0.0/8")!), ("private-172", IPv4Network("172.16.0.0/12")!), ("private-192", IPv4Network("192.168.0.0/16")!)]
        var used = Set<String>()
        func vpc(for networks: [IPv4Network], spec: String) throws(NetworkSpecError) -> String? {
            guard let first = networks.first, first.isPrivate else {
                if networks.contains(where: \.isPrivate) { throw NetworkSpecError(spec: spec, reason: "mixes private and public networks") }
                return nil
            }
            guard let block = blocks.first(where: { block in networks.allSatisfy { block.cidr.covers($0) } }) else {
                throw NetworkSpecError(spec: spec, reason: "its networks span several private blocks")
            }
            used.insert(block.name)
            return block.name
        }
        func hostCount(_ networks: [IPv4Network], inside: Bool) -> Int {
            let addresses = networks.reduce(UInt64(0)) { $0 + RoleDeclaration.usable($1, inside: inside).count }
            return Int(min(addresses, UInt64(inside ? Self.shorthandInternalHosts : Self.shorthandExternalHosts)))
        }
        guard let clientVPC = try vpc(for: clients, spec: clientSpecs.joined(separator: ",")) else {
            throw NetworkSpecError(spec: clientSpecs.joined(separator: ","), reason: "client networks must be private (10/8, 172.16/12, 192.168/16)", part: .clients)
        }
        var roles = [RoleDeclaration(name: "clients", kind: .workstation, vpc: clientVPC, networks: clients, hosts: hostCount(clients, inside: true))]
        for service in services {
            let vpcName = service.isExternal ? nil : try vpc(for: service.networks, spec: service.spec)
            if !service.isExternal && vpcName == nil {
                throw NetworkSpecError(spec: service.spec, reason: "an internal service (a name without a dot) needs private networks")
            }
            let kind = RoleKind.inferred(from: service.name)
            roles.append(RoleDeclaration(
                name: service.name, kind: kind.isExternal == service.isExternal ? kind : (service.isExternal ? .external : .api), vpc: vpcName,
                networks: service.networks, hosts: hostCount(service.networks, inside: !service.isExternal), serves: service.endpoints,
                clients: service.sources.map { ($0, 1) }, weight: service.weight
            ))
        }
        let vpcs = blocks.filter { used.contains($0.name) }.map {
            VPCDeclaration(name: $0.name, cidr: $0.cidr, account: "123456789012", region: "us-east-1", environment: "Production")
        }
        self.init(
            vpcs: vpcs, roles: roles,
            exfiltrationTargets: try networks(exfiltrationSpecs, what: "exfiltration target", part: .exfiltrationTargets),
            scanSources: try networks(scanSourceSpecs, what: "scan source", part: .scanSources)
        )
    }
}
