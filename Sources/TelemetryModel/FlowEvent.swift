/// One flow event (VPC flow / firewall style), with every field of the original event plus the
/// ground truth (`anomalies`, `malformation`) and the lineage (`seq`; the generator id lives in the
/// ``FlowVocabulary``).
///
/// All stored properties are plain values, so a buffer of events never allocates per event.
/// Strings (host names, regions) are indexes into the vocabulary the encoders are given.
public struct FlowEvent: Sendable, Hashable {
    /// Unix seconds, UTC.
    public var timestamp: Int64
    /// A random UUIDv4, held as its 128 bits (version and variant bits already set).
    public var eventID: (high: UInt64, low: UInt64)
    public var srcIP: IPv4Address
    public var dstIP: IPv4Address
    public var srcPort: UInt16
    public var dstPort: UInt16
    public var transport: TransportProtocol
    public var bytesSent: Int64
    public var bytesReceived: Int64
    public var latencyMs: Int32
    public var packetsSent: Int32
    public var flags: TCPFlags
    public var appProtocol: AppProtocol
    public var appMethod: AppMethod
    /// Index of the host name in ``FlowVocabulary/hosts``.
    public var hostIndex: UInt16
    /// Host number appended to the host prefix (`web-17.internal.prod`); 0 means none.
    public var hostNumber: UInt16
    public var statusCode: Int16
    /// Index into ``FlowVocabulary/environments``.
    public var environment: UInt8
    /// Index into ``FlowVocabulary/regions``.
    public var region: UInt8
    /// Written as `sg-%06d`.
    public var securityGroup: UInt32
    public var anomalies: AnomalySet
    /// Set only on malformed records.
    public var malformation: Malformation?
    /// Position in the generator's sequence, contiguous from 0 (gaps mark dropped events).
    public var seq: Int64

    public init() {
        timestamp = 0
        eventID = (0, 0)
        srcIP = IPv4Address(0)
        dstIP = IPv4Address(0)
        srcPort = 0
        dstPort = 0
        transport = .tcp
        bytesSent = 0
        bytesReceived = 0
        latencyMs = 0
        packetsSent = 0
        flags = []
        appProtocol = .http11
        appMethod = .get
        hostIndex = 0
        hostNumber = 0
        statusCode = 0
        environment = 0
        region = 0
        securityGroup = 0
        anomalies = []
        malformation = nil
        seq = 0
    }

    /// The primary label.
    @inline(__always)
    public var label: AnomalyLabel { anomalies.primaryLabel }

    /// The event id in canonical text form (`xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`).
    public var eventIDString: String {
        let hex = String(eventID.high, radix: 16).leftPadded(16) + String(eventID.low, radix: 16).leftPadded(16)
        let c = Array(hex)
        return String(c[0..<8]) + "-" + String(c[8..<12]) + "-" + String(c[12..<16]) + "-"
            + String(c[16..<20]) + "-" + String(c[20..<32])
    }

    public static func == (lhs: FlowEvent, rhs: FlowEvent) -> Bool {
        lhs.timestamp == rhs.timestamp && lhs.eventID == rhs.eventID && lhs.srcIP == rhs.srcIP
            && lhs.dstIP == rhs.dstIP && lhs.srcPort == rhs.srcPort && lhs.dstPort == rhs.dstPort
            && lhs.transport == rhs.transport && lhs.bytesSent == rhs.bytesSent
            && lhs.bytesReceived == rhs.bytesReceived && lhs.latencyMs == rhs.latencyMs
            && lhs.packetsSent == rhs.packetsSent && lhs.flags == rhs.flags
            && lhs.appProtocol == rhs.appProtocol && lhs.appMethod == rhs.appMethod
            && lhs.hostIndex == rhs.hostIndex && lhs.hostNumber == rhs.hostNumber
            && lhs.statusCode == rhs.statusCode && lhs.environment == rhs.environment
            && lhs.region == rhs.region && lhs.securityGroup == rhs.securityGroup
            && lhs.anomalies == rhs.anomalies && lhs.malformation == rhs.malformation && lhs.seq == rhs.seq
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(seq)
        hasher.combine(eventID.high)
        hasher.combine(eventID.low)
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
