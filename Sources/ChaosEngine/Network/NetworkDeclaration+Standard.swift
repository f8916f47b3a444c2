import TelemetryModel

extension NetworkDeclaration {
    /// The built-in network (the same as examples/network.yaml): a production VPC with web, api,
    /// database, cache, DNS, NTP, monitoring and a vulnerability scanner; 4000 office
    /// workstations in a corporate VPC; small staging and development VPCs in other regions;
    /// 50,000 users on the internet; and the outside services they all use.
    public static let standard: NetworkDeclaration = {
        func net(_ text: String) -> IPv4Network { IPv4Network(text)! }
        func ep(_ text: String) -> ServiceEndpoint { ServiceEndpoint(text)! }
        let vpcs = [
            VPCDeclaration(name: "prod", cidr: net("10.0.0.0/16"), account: "318274609153", region: "us-east-1", environment: "Production"),
            VPCDeclaration(name: "corp", cidr: net("10.1.0.0/16"), account: "318274609153", region: "us-east-1", environment: "Corporate"),
            VPCDeclaration(name: "staging", cidr: net("10.2.0.0/16"), account: "642091837465", region: "us-west-2", environment: "Staging"),
            VPCDeclaration(name: "dev", cidr: net("10.3.0.0/16"), account: "642091837465", region: "eu-west-1", environment: "Development"),
        ]
        let insideRoles = ["workstation", "web", "api", "db", "cache", "monitor", "web-stg", "api-stg", "db-stg", "dev"]
        let roles: [RoleDeclaration] = [
            RoleDeclaration(name: "workstation", kind: .workstation, vpc: "corp", networks: [net("10.1.0.0/18")], hosts: 4000),
            RoleDeclaration(name: "web", kind: .web, vpc: "prod", networks: [net("10.0.1.0/24")], hosts: 40, serves: [ep("tcp/443"), ep("tcp/80")],
                            clients: [("internet", 6), ("workstation", 1)], weight: 30),
            RoleDeclaration(name: "api", kind: .api, vpc: "prod", networks: [net("10.0.2.0/24")], hosts: 24, serves: [ep("tcp/8443"), ep("tcp/443")],
                            clients: [("web", 3), ("internet", 2), ("workstation", 1)], weight: 18),
            RoleDeclaration(name: "db", kind: .db, vpc: "prod", networks: [net("10.0.3.0/26")], hosts: 8, serves: [ep("tcp/5432")],
                            clients: [("api", 2), ("web", 1)], weight: 5),
            RoleDeclaration(name: "cache", kind: .cache, vpc: "prod", networks: [net("10.0.4.0/27")], hosts: 6, serves: [ep("tcp/6379")],
                            clients: [("api", 2), ("web", 1)], weight: 6),
            RoleDeclaration(name: "dns", kind: .dns, vpc: "prod", networks: [net("10.0.0.2/31")], serves: [ep("udp/53"), ep("tcp/53")],
                            clients: insideRoles.filter { $0 != "dns" }.map { ($0, $0 == "workstation" ? 6 : 1) }, weight: 14),
            RoleDeclaration(name: "ntp", kind: .ntp, vpc: "prod", networks: [net("10.0.0.123/32")], serves: [ep("udp/123")],
                            clients: [("workstation", 3), ("web", 1), ("api", 1), ("db", 1), ("cache", 1)], weight: 1),
            RoleDeclaration(name: "monitor", kind: .monitor, vpc: "prod", networks: [net("10.0.5.0/28")], hosts: 2),
            RoleDeclaration(name: "scanner", kind: .scanner, vpc: "prod", networks: [net("10.0.5.200/32")]),
            RoleDeclaration(name: "web-stg", kind: .web, vpc: "staging", networks: [net("10.2.1.0/24")], hosts: 4, serves: [ep("tcp/443")],
                            clients: [("workstation", 1)], weight: 1.5),
            RoleDeclaration(name: "api-stg", kind: .api, vpc: "staging", networks: [net("10.2.2.0/24")], hosts: 3, serves: [ep("tcp/8443")],
                            clients: [("web-stg", 2), ("workstation", 1)], weight: 1),
            RoleDeclaration(name: "db-stg", kind: .db, vpc: "staging", networks: [net("10.2.3.0/26")], hosts: 2, serves: [ep("tcp/5432")],
                            clients: [("api-stg", 1)], weight: 0.4),
            RoleDeclaration(name: "dev", kind: .api, vpc: "dev", networks: [net("10.3.1.0/24")], hosts: 20, serves: [ep("tcp/22"), ep("tcp/8080")],
                            clients: [("workstation", 1)], weight: 1),
            RoleDeclaration(name: "internet", kind: .internet, networks: ["24.0.0.0/8", "71.0.0.0/8", "73.0.0.0/8", "86.0.0.0/8", "90.0.0.0/8",
                                                                          "109.0.0.0/8", "176.0.0.0/8", "212.0.0.0/8"].map(net), hosts: 50_000),
            RoleDeclaration(name: "dns.google", kind: .external, networks: [net("8.8.8.8/32"), net("8.8.4.4/32")], serves: [ep("udp/53"), ep("tcp/53")],
                            clients: [("dns", 1)], weight: 2),
            RoleDeclaration(name: "one.one.one.one", kind: .external, networks: [net("1.1.1.1/32")], serves: [ep("udp/53")], clients: [("dns", 1)], weight: 1),
            RoleDeclaration(name: "s3.amazonaws.com", kind: .storage, networks: [net("52.216.0.0/15")], hosts: 4096, serves: [ep("tcp/443")],
                            clients: [("workstation", 2), ("api", 1), ("web", 1)], weight: 4),
            RoleDeclaration(name: "api.github.com", kind: .external, networks: [net("140.82.112.0/20")], hosts: 64, serves: [ep("tcp/443")],
                            clients: [("workstation", 3), ("api", 1)], weight: 2),
            RoleDeclaration(name: "cdn.fastly.net", kind: .external, networks: [net("151.101.0.0/16")], hosts: 512, serves: [ep("tcp/443")],
                            clients: [("workstation", 1)], weight: 6),
        ]
        let monitored = ["web", "api", "db", "cache", "dns"]
        let traffic = monitored.map { TrafficDeclaration(from: "monitor", to: $0, ports: [ep("icmp"), ep("tcp/9100")], weight: 0.6) }
        return NetworkDeclaration(vpcs: vpcs, roles: roles, traffic: traffic)
    }()
}

extension ServiceEndpoint {
    /// Parses `tcp/443`, `udp/53` or `icmp`.
    public init?(_ text: String) {
        let part = text.trimmingSpaces.lowercased()
        if part == "icmp" {
            self.init(transport: .icmp, port: 0)
            return
        }
        let pieces = part.split(separator: "/")
        guard pieces.count == 2, let transport = TransportProtocol(name: String(pieces[0])), transport != .icmp,
            let port = UInt16(pieces[1]), port > 0
        else { return nil }
        self.init(transport: transport, port: port)
    }
}
