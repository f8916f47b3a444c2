import TelemetryModel

/// One host of the simulated network, fixed for a run and derived from the seed: its address,
/// role, where it lives, its link, how active it is as a client, and how far away it is.
public struct Host: Sendable, Hashable {
    public var address: IPv4Address
    /// Index into ``Topology/roles``.
    public var role: UInt16
    /// Index into ``Topology/subnets``; ``Host/outside`` for hosts outside every VPC.
    public var subnet: UInt16
    /// Link speed in megabits per second.
    public var linkMbps: UInt32
    /// Relative activity as a client (heavy-tailed across a role's hosts).
    public var activity: Float
    /// Round-trip time to the VPCs, in milliseconds (internal hosts: a fraction of one).
    public var rttMs: Float
    /// Whether the host runs Windows (ephemeral ports 49152-65535; else Linux's 32768-60999).
    public var windows: Bool
    /// The host's number within its role, from 1 (`web-7`).
    public var number: UInt32

    public static let outside: UInt16 = .max

    public var isInternal: Bool { subnet != Self.outside }

    public init(address: IPv4Address, role: UInt16, subnet: UInt16, linkMbps: UInt32, activity: Float, rttMs: Float, windows: Bool, number: UInt32) {
        self.address = address
        self.role = role
        self.subnet = subnet
        self.linkMbps = linkMbps
        self.activity = activity
        self.rttMs = rttMs
        self.windows = windows
        self.number = number
    }
}

/// A subnet: one network of an internal role, in one VPC and availability zone.
public struct Subnet: Sendable, Hashable {
    public var cidr: IPv4Network
    /// Index into ``Topology/vpcs``.
    public var vpc: Int
    /// 1, 2 or 3: the zone within the VPC's region (`use1-az2`).
    public var zone: Int
}
