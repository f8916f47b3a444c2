/// One flow record (VPC flow / firewall style): one session of the simulated network over one
/// aggregation window, with every field of the Go producer's event, the session's course and timing,
/// the ground truth (`anomalies`, `malformation`) and the lineage (`seq`; the generator id lives
/// in the ``FlowVocabulary``).
///
/// All stored properties are plain values, so a buffer of events never allocates per event.
/// Strings (host names, tags) are looked up in the vocabulary by host index.
public struct FlowEvent: Sendable, Hashable {
    /// Unix milliseconds of the first packet of the record.
    public var startMs: Int64
    /// Unix milliseconds of the last packet of the record (the record is reported then).
    public var endMs: Int64
    /// A random UUIDv4, held as its 128 bits (version and variant bits already set).
    public var eventID: (high: UInt64, low: UInt64)
    /// The session this record belongs to (the records of a long session share it).
    public var sessionID: Int64
    public var srcIP: IPv4Address
    public var dstIP: IPv4Address
    public var srcPort: UInt16
    public var dstPort: UInt16
    public var transport: TransportProtocol
    /// Bytes (IP packets, headers included) from the client to the server.
    public var bytesSent: Int64
    public var bytesReceived: Int64
    public var packetsSent: Int32
    public var packetsReceived: Int32
    public var latencyMs: Int32
    /// TCP flags the client side saw, both directions.
    public var flags: TCPFlags
    /// TCP flags of the packets the client sent, and of those the server sent (VPC flow logs
    /// report each direction).
    public var clientFlags: TCPFlags
    public var serverFlags: TCPFlags
    public var appProtocol: AppProtocol
    public var appMethod: AppMethod
    public var statusCode: Int16
    /// DNS records: the name the last query asked for (`app_layer.host`); others: ``QueryName/server``.
    public var queryName: QueryName
    /// The client's and the server's index in the vocabulary's hosts.
    public var srcHost: UInt32
    public var dstHost: UInt32
    /// The server's security group refused the session (it never answered).
    public var rejected: Bool
    /// The record is lost: it keeps its place in `seq` but is never written.
    public var dropped: Bool
    public var anomalies: AnomalySet
    /// The incident that produced the record (``IncidentID/none`` for normal traffic).
    public var incident: IncidentID
    /// Set only on malformed records.
    public var malformation: Malformation?
    /// Position in the generator's sequence, contiguous from 0 (gaps mark dropped records).
    public var seq: Int64

    public init() {
        startMs = 0
        endMs = 0
        eventID = (0, 0)
        sessionID = 0
        srcIP = IPv4Address(0)
        dstIP = IPv4Address(0)
        srcPort = 0
        dstPort = 0
        transport = .tcp
        bytesSent = 0
        bytesReceived = 0
        packetsSent = 0
        packetsReceived = 0
        latencyMs = 0
        flags = []
        clientFlags = []
        serverFlags = []
        appProtocol = .http11
        appMethod = .get
        statusCode = 0
        queryName = .server
        srcHost = 0
        dstHost = 0
        rejected = false
        dropped = false
        anomalies = []
        incident = .none
        malformation = nil
        seq = 0
    }

    /// The bits a machine-made query name is spelled from (the event id's).
    @inline(__always)
    public var nameSeed: UInt64 { eventID.high ^ (eventID.low >> 7 | eventID.low << 57) }

    /// Unix seconds of the record's end (`timestamp` in JSON and CSV).
    @inline(__always)
    public var timestamp: Int64 { endMs >= 0 ? endMs / 1000 : (endMs - 999) / 1000 }

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
        lhs.startMs == rhs.startMs && lhs.endMs == rhs.endMs && lhs.eventID == rhs.eventID && lhs.sessionID == rhs.sessionID
            && lhs.srcIP == rhs.srcIP && lhs.dstIP == rhs.dstIP && lhs.srcPort == rhs.srcPort && lhs.dstPort == rhs.dstPort
            && lhs.transport == rhs.transport && lhs.bytesSent == rhs.bytesSent && lhs.bytesReceived == rhs.bytesReceived
            && lhs.packetsSent == rhs.packetsSent && lhs.packetsReceived == rhs.packetsReceived && lhs.latencyMs == rhs.latencyMs
            && lhs.flags == rhs.flags && lhs.clientFlags == rhs.clientFlags && lhs.serverFlags == rhs.serverFlags
            && lhs.appProtocol == rhs.appProtocol && lhs.appMethod == rhs.appMethod && lhs.statusCode == rhs.statusCode
            && lhs.queryName == rhs.queryName
            && lhs.srcHost == rhs.srcHost && lhs.dstHost == rhs.dstHost && lhs.rejected == rhs.rejected && lhs.dropped == rhs.dropped
            && lhs.anomalies == rhs.anomalies && lhs.incident == rhs.incident && lhs.malformation == rhs.malformation && lhs.seq == rhs.seq
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
