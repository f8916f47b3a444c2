/// How flows are exported as NetFlow v9 (RFC 3954) or IPFIX (RFC 7011) packets.
public struct NetFlowExportOptions: Sendable, Hashable {
    public enum Version: Int, Sendable, Hashable {
        case v9 = 9
        case ipfix = 10
    }

    public var version: Version
    /// Largest UDP payload (bytes): a packet never exceeds it (1400 keeps it under a 1500-byte
    /// path MTU with room for tunnels).
    public var maxPacketBytes: Int
    /// Templates are sent in the first packet and again after this many packets...
    public var templateRefreshPackets: Int
    /// ...or when this many seconds of export time have passed since they were last sent.
    public var templateRefreshSeconds: Int
    /// The exporter's source id (v9) or observation domain id (IPFIX).
    public var domainID: UInt32
    /// 1 in N flows is exported; the options record says N so a collector can scale.
    public var samplingInterval: Int
    /// The active timeout (the simulation's aggregation window: a longer session is exported in
    /// pieces this long) and the inactive timeout, in seconds, for the options record.
    public var activeTimeoutSeconds: Int
    public var inactiveTimeoutSeconds: Int
    /// Unix milliseconds of the exporter's boot: `sysUpTime` and v9's first/last switched count from it.
    public var bootMs: Int64

    public init(
        version: Version = .v9, maxPacketBytes: Int = 1_400, templateRefreshPackets: Int = 20, templateRefreshSeconds: Int = 60,
        domainID: UInt32 = 1, samplingInterval: Int = 1, activeTimeoutSeconds: Int = 60, inactiveTimeoutSeconds: Int = 15, bootMs: Int64 = 0
    ) {
        self.version = version
        self.maxPacketBytes = maxPacketBytes
        self.templateRefreshPackets = templateRefreshPackets
        self.templateRefreshSeconds = templateRefreshSeconds
        self.domainID = domainID
        self.samplingInterval = samplingInterval
        self.activeTimeoutSeconds = activeTimeoutSeconds
        self.inactiveTimeoutSeconds = inactiveTimeoutSeconds
        self.bootMs = bootMs
    }

    /// The smallest packet that holds the headers, both templates and one record of the largest size.
    public static let minimumPacketBytes = 512

    /// The private enterprise number of the ground-truth fields in IPFIX (`label`, `incident_id`,
    /// `technique`): 32473, which IANA reserves for documentation and examples (RFC 5612).
    public static let enterpriseNumber: UInt32 = 32_473
}
