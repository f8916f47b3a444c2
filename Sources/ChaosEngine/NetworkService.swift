import TelemetryModel

/// One port a service listens on.
public struct ServiceEndpoint: Sendable, Hashable, CustomStringConvertible {
    public var transport: TransportProtocol
    /// 0 for ICMP.
    public var port: UInt16

    public init(transport: TransportProtocol, port: UInt16) {
        self.transport = transport
        self.port = port
    }

    /// The application protocol spoken on this endpoint.
    public var appProtocol: AppProtocol {
        switch (transport, port) {
        case (.icmp, _): .icmp
        case (_, 53): .dns
        case (.udp, 123): .ntp
        case (.tcp, 80), (.tcp, 8080), (.tcp, 9100): .http11
        case (.tcp, 22): .ssh
        case (.tcp, 443), (.tcp, 8443): .http2
        case (.tcp, 5432): .postgresql
        case (.tcp, 3306): .mysql
        case (.tcp, 6379): .redis
        case (.tcp, _): .tls
        case (.udp, _): .dns
        }
    }

    public var description: String { transport == .icmp ? "icmp" : "\(transport.name.lowercased())/\(port)" }

    /// How often clients use this endpoint next to the others a service offers: DNS over TCP
    /// and plain HTTP are the exceptions, DNS over UDP and HTTPS the rule.
    public var popularity: Double {
        switch (transport, port) {
        case (.tcp, 53): 0.03
        case (.tcp, 80), (.tcp, 8080): 0.3
        case (.tcp, 3306): 0.5
        default: 1
        }
    }
}

/// A group of hosts with one role (web servers, a database tier, a public DNS resolver), the
/// ports they serve, who talks to them and how much of the traffic they get.
///
/// Written as one spec string: `NAME=CIDR[+CIDR...]:PROTO/PORT[+PROTO/PORT...][<SOURCE[+SOURCE...]][*WEIGHT]`,
/// for example `db=10.0.3.0/24:tcp/5432<web+api*10`. A SOURCE is `clients` or another service's
/// name; the default source is `clients`. A NAME with a dot (`dns.google`) is an external service and
/// is its own host name; other names give internal hosts `NAME-<n>.internal.prod`.
public struct NetworkService: Sendable, Hashable {
    public var name: String
    public var networks: [IPv4Network]
    public var endpoints: [ServiceEndpoint]
    public var sources: [String]
    public var weight: Double

    public init(name: String, networks: [IPv4Network], endpoints: [ServiceEndpoint], sources: [String] = ["clients"], weight: Double) {
        self.name = name
        self.networks = networks
        self.endpoints = endpoints
        self.sources = sources
        self.weight = weight
    }

    /// External services are named by a DNS name and are their own host.
    public var isExternal: Bool { name.contains(".") }

    /// Parses one spec string; the error names the spec and the part that is wrong.
    public init(spec: String) throws(NetworkSpecError) {
        func fail(_ reason: String) -> NetworkSpecError { NetworkSpecError(spec: spec, reason: reason) }
        guard let equals = spec.firstIndex(of: "=") else {
            throw fail("expected NAME=CIDR[+CIDR]:PROTO/PORT[+PROTO/PORT][<SOURCE][*WEIGHT], such as web=10.0.1.0/24:tcp/443")
        }
        let name = String(spec[..<equals]).trimmingSpaces
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "-._".contains($0) }) else {
            throw fail("the name must be letters, digits, '-', '.' or '_'")
        }
        var rest = Substring(spec[spec.index(after: equals)...])
        var weight = 1.0
        if let star = rest.lastIndex(of: "*") {
            guard let parsed = Double(rest[rest.index(after: star)...]), parsed > 0, parsed.isFinite else {
                throw fail("the weight after '*' must be a positive number")
            }
            weight = parsed
            rest = rest[..<star]
        }
        var sources = ["clients"]
        if let arrow = rest.firstIndex(of: "<") {
            sources = rest[rest.index(after: arrow)...].split(separator: "+").map { String($0).trimmingSpaces }
            guard !sources.isEmpty, sources.allSatisfy({ !$0.isEmpty }) else { throw fail("empty source list after '<'") }
            rest = rest[..<arrow]
        }
        guard let colon = rest.firstIndex(of: ":") else { throw fail("expected ':' between the networks and the ports") }
        var networks: [IPv4Network] = []
        for text in rest[..<colon].split(separator: "+") {
            guard let network = IPv4Network(text.trimmingSpaces) else {
                throw fail("'\(text)' is not a CIDR network such as 10.0.1.0/24 (host bits must be zero)")
            }
            networks.append(network)
        }
        guard !networks.isEmpty else { throw fail("no network given") }
        var endpoints: [ServiceEndpoint] = []
        for text in rest[rest.index(after: colon)...].split(separator: "+") {
            let part = text.trimmingSpaces.lowercased()
            if part == "icmp" {
                endpoints.append(ServiceEndpoint(transport: .icmp, port: 0))
                continue
            }
            let pieces = part.split(separator: "/")
            guard pieces.count == 2, let transport = TransportProtocol(name: String(pieces[0])), transport != .icmp,
                let port = UInt16(pieces[1]), port > 0
            else { throw fail("'\(text)' is not an endpoint such as tcp/443, udp/53 or icmp") }
            endpoints.append(ServiceEndpoint(transport: transport, port: port))
        }
        guard !endpoints.isEmpty else { throw fail("no endpoint given") }
        self.init(name: name, networks: networks, endpoints: endpoints, sources: sources, weight: weight)
    }

    /// The spec string that parses back to this service.
    public var spec: String {
        var text = "\(name)=\(networks.map(\.description).joined(separator: "+")):\(endpoints.map(\.description).joined(separator: "+"))"
        if sources != ["clients"] { text += "<" + sources.joined(separator: "+") }
        return text + "*\(weight.compactDescription)"
    }
}

/// A network spec string that does not parse.
public struct NetworkSpecError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Which list of the network model the spec belongs to.
    public enum Part: String, Sendable, Hashable {
        case clients, services, exfiltrationTargets, scanSources
    }

    public var spec: String
    public var reason: String
    public var part: Part = .services

    public init(spec: String, reason: String, part: Part = .services) {
        self.spec = spec
        self.reason = reason
        self.part = part
    }

    public var description: String { "invalid network spec '\(spec)': \(reason)" }
}

extension StringProtocol {
    var trimmingSpaces: String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}

extension Double {
    /// `40` rather than `40.0`.
    var compactDescription: String {
        self == rounded() && abs(self) < 1e15 ? String(Int64(self)) : String(self)
    }
}
