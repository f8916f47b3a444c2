import ChaosEngine
import Settings
import TelemetryModel

extension NetworkDeclaration {
    /// The typed `network` section of a YAML file: `vpcs`, `roles` and `traffic` (lists of
    /// mappings), read strictly: an unknown key, a wrong type or a bad value is an error naming its
    /// path. Scalar knobs of the section (`window`, `load.*`, `background.*`) are read with the
    /// other knobs, so flags and the environment can override them.
    static func declared(_ document: ConfigTree, startTime: Double) throws(ConfigurationError) -> NetworkDeclaration {
        guard let section = document["network"] else { throw ConfigurationError(key: "network", value: "", allowed: "a network section") }
        var top = try ConfigTreeReader(section, path: "network")
        let scalarKeys = ["domain", "window", "load", "background", "exfil_targets", "scan_sources", "clients", "services"]
        for key in scalarKeys { _ = top.value(key) }
        var vpcs: [VPCDeclaration] = []
        for (i, item) in try items(top.value("vpcs"), path: "network.vpcs").enumerated() {
            var r = try ConfigTreeReader(item, path: "network.vpcs[\(i)]")
            let name = try r.required("name", "a name")
            let cidr = try r.parsed("cidr", "a CIDR network such as 10.0.0.0/16", { IPv4Network($0) })
            guard let cidr else { throw ConfigurationError(key: "network.vpcs[\(i)].cidr", value: "", allowed: "a CIDR network (required)") }
            let account = try r.required("account", "12 digits")
            let region = try r.required("region", "a region name such as us-east-1")
            let env = try r.required("env", "an environment name such as Production")
            try r.refuseUnknown(allowed: ["name", "cidr", "account", "region", "env"])
            vpcs.append(VPCDeclaration(name: name, cidr: cidr, account: account, region: region, environment: env))
        }
        var roles: [RoleDeclaration] = []
        let roleKeys = ["name", "kind", "vpc", "subnets", "subnet", "hosts", "serves", "clients", "weight", "link", "activity", "load", "host_name"]
        for (i, item) in try items(top.value("roles"), path: "network.roles").enumerated() {
            var r = try ConfigTreeReader(item, path: "network.roles[\(i)]")
            let name = try r.required("name", "a role name")
            let path = "network.roles[\(name)]"
            r = try ConfigTreeReader(item, path: path)
            _ = try r.text("name")
            let kind = try r.parsed("kind", RoleKind.allCases.map(\.rawValue).joined(separator: ", "), { RoleKind(rawValue: $0.lowercased()) })
            let vpc = try r.text("vpc")
            var networkTexts = try r.texts("subnets") ?? []
            networkTexts += try r.texts("subnet") ?? []
            var networks: [IPv4Network] = []
            for text in networkTexts {
                guard let network = IPv4Network(text) else {
                    throw ConfigurationError(key: path + ".subnets", value: text, allowed: "CIDR networks or addresses such as 10.0.1.0/24 or 10.0.0.2")
                }
                networks.append(network)
            }
            let hosts = try r.parsed("hosts", "a whole number of hosts from 1 to \(RoleDeclaration.maximumHosts)", { Int($0).flatMap { (1...RoleDeclaration.maximumHosts).contains($0) ? $0 : nil } })
            var serves: [ServiceEndpoint] = []
            for text in try r.texts("serves") ?? [] {
                guard let endpoint = ServiceEndpoint(text) else { throw ConfigurationError(key: path + ".serves", value: text, allowed: "endpoints such as tcp/443, udp/53 or icmp") }
                serves.append(endpoint)
            }
            let clients = try weights(r.value("clients"), path: path + ".clients")
            let weight = try r.parsed("weight", "a number >= 0", { Double($0).flatMap { $0 >= 0 && $0.isFinite ? $0 : nil } }) ?? 0
            let link = try r.parsed("link", "a speed such as 1Gbps, 100Mbps or 25G", Self.bitsPerSecond)
            let activity = try r.parsed("activity", "a Zipf exponent from 0 to 4", { Double($0).flatMap { (0...4).contains($0) ? $0 : nil } })
            let load = try curveOverride(r.value("load"), path: path + ".load", startTime: startTime)
            let hostName = try r.text("host_name")
            try r.refuseUnknown(allowed: roleKeys)
            roles.append(RoleDeclaration(
                name: name, kind: kind ?? (vpc == nil && !networks.contains(where: \.isPrivate) ? (name.contains(".") ? .external : .internet) : nil),
                vpc: vpc, networks: networks, hosts: hosts, serves: serves, clients: clients, weight: weight, linkBitsPerSecond: link,
                activity: activity, load: load, hostName: hostName
            ))
        }
        var traffic: [TrafficDeclaration] = []
        for (i, item) in try items(top.value("traffic"), path: "network.traffic").enumerated() {
            let path = "network.traffic[\(i)]"
            var r = try ConfigTreeReader(item, path: path)
            let from = try r.required("from", "a role name")
            let targets = try r.texts("to") ?? []
            guard !targets.isEmpty else { throw ConfigurationError(key: path + ".to", value: "", allowed: "a role name, or a list of them (required)") }
            var ports: [ServiceEndpoint]?
            if let texts = try r.texts("ports") {
                ports = []
                for text in texts {
                    guard let endpoint = ServiceEndpoint(text) else { throw ConfigurationError(key: path + ".ports", value: text, allowed: "endpoints such as tcp/443, udp/53 or icmp") }
                    ports!.append(endpoint)
                }
            }
            let weight = try r.parsed("weight", "a number > 0", { Double($0).flatMap { $0 > 0 && $0.isFinite ? $0 : nil } }) ?? 1
            try r.refuseUnknown(allowed: ["from", "to", "ports", "weight"])
            for to in targets { traffic.append(TrafficDeclaration(from: from, to: to, ports: ports, weight: weight)) }
        }
        guard !roles.isEmpty else { throw ConfigurationError(key: "network.roles", value: "", allowed: "at least one role (network.roles is required with network.vpcs or network.traffic)") }
        try top.refuseUnknown(allowed: ["vpcs", "roles", "traffic"] + scalarKeys)
        return NetworkDeclaration(vpcs: vpcs, roles: roles, traffic: traffic)
    }

    private static func items(_ value: ConfigTree?, path: String) throws(ConfigurationError) -> [ConfigTree] {
        guard let value else { return [] }
        guard case .list(let items) = value else { throw ConfigurationError(key: path, value: "a single value", allowed: "a list of mappings") }
        return items
    }

    /// `{a: 3, b: 1}` or `[a, b]` (weight 1 each).
    private static func weights(_ value: ConfigTree?, path: String) throws(ConfigurationError) -> [(role: String, weight: Double)] {
        switch value {
        case nil: return []
        case .scalar(let text)?: return text.split(separator: ",").map { (String($0).trimmingCharacters(in: .whitespaces), 1) }
        case .list(let items)?:
            var result: [(String, Double)] = []
            for item in items {
                guard case .scalar(let name) = item else { throw ConfigurationError(key: path, value: "a mapping", allowed: "role names, or a mapping of role names to weights") }
                result.append((name, 1))
            }
            return result
        case .map(let entries)?:
            var result: [(String, Double)] = []
            for entry in entries {
                guard case .scalar(let text) = entry.value, let weight = Double(text), weight > 0, weight.isFinite else {
                    throw ConfigurationError(key: "\(path).\(entry.key)", value: "\(entry.value)", allowed: "a weight > 0")
                }
                result.append((entry.key, weight))
            }
            return result
        }
    }

    private static func curveOverride(_ value: ConfigTree?, path: String, startTime: Double) throws(ConfigurationError) -> LoadCurveOverride {
        guard let value else { return LoadCurveOverride() }
        var r = try ConfigTreeReader(value, path: path)
        var curve = LoadCurveOverride()
        if let shape = try r.text("curve") {
            switch shape.lowercased() {
            case "diurnal", "daily", "on": curve.shape = .diurnal
            case "flat", "off", "none": curve.shape = .flat
            default: throw ConfigurationError(key: path + ".curve", value: shape, allowed: "diurnal or off (flat)")
            }
        }
        curve.peakHour = try r.parsed("peak_hour", "an hour from 0 to 23.99", { Double($0).flatMap { (0..<24).contains($0) ? $0 : nil } })
        curve.peakToTrough = try r.parsed("peak_to_trough", "a ratio from 1 to 1000", { Double($0).flatMap { (1...1_000).contains($0) ? $0 : nil } })
        curve.weekendFactor = try r.parsed("weekend_factor", "a factor from 0.01 to 100", { Double($0).flatMap { (0.01...100).contains($0) ? $0 : nil } })
        curve.utcOffsetSeconds = try r.parsed("timezone", "UTC, an offset such as +02:00, or a zone name such as Europe/Berlin", { utcOffset($0, at: startTime) })
        try r.refuseUnknown(allowed: ["curve", "peak_hour", "peak_to_trough", "weekend_factor", "timezone"])
        return curve
    }

    /// `10Gbps`, `100Mbps`, `25G`, `1e9` (bits per second).
    static func bitsPerSecond(_ text: String) -> Double? {
        let lower = text.lowercased().replacingOccurrences(of: "bit/s", with: "").replacingOccurrences(of: "bps", with: "").trimmingCharacters(in: .whitespaces)
        let units: [(String, Double)] = [("t", 1e12), ("g", 1e9), ("m", 1e6), ("k", 1e3)]
        for (suffix, scale) in units where lower.hasSuffix(suffix) {
            return Double(lower.dropLast()).map { $0 * scale }.flatMap { $0 > 0 ? $0 : nil }
        }
        return Double(lower).flatMap { $0 > 0 ? $0 : nil }
    }
}
