import TelemetryModel

/// One VPC: its address range and where it lives. Every internal host is in exactly one.
public struct VPCDeclaration: Sendable, Hashable {
    public var name: String
    public var cidr: IPv4Network
    /// 12 digits.
    public var account: String
    public var region: String
    /// Written in `tags.env`.
    public var environment: String

    public init(name: String, cidr: IPv4Network, account: String, region: String, environment: String) {
        self.name = name
        self.cidr = cidr
        self.account = account
        self.region = region
        self.environment = environment
    }
}
