import TelemetryModel

/// One connection as Zeek's conn.log sees it: every record of a session (one per aggregation
/// window) folded into one, from its first packet to its last, with each direction's packets,
/// bytes and TCP flags.
struct ZeekConnection: BitwiseCopyable {
    var sessionID: Int64
    var startMs: Int64
    var endMs: Int64
    var origin: IPv4Address
    var responder: IPv4Address
    var originPort: UInt16
    var responderPort: UInt16
    var transport: TransportProtocol
    var app: AppProtocol
    var originPackets: Int64 = 0
    var responderPackets: Int64 = 0
    var originBytes: Int64 = 0
    var responderBytes: Int64 = 0
    var originFlags: TCPFlags = []
    var responderFlags: TCPFlags = []
    var anomalies: AnomalySet = []
    var incident = IncidentID.none

    init(_ e: FlowEvent) {
        sessionID = e.sessionID
        startMs = e.startMs
        endMs = e.endMs
        origin = e.srcIP
        responder = e.dstIP
        originPort = e.srcPort
        responderPort = e.dstPort
        transport = e.transport
        app = e.appProtocol
        add(e)
    }

    mutating func add(_ e: FlowEvent) {
        startMs = min(startMs, e.startMs)
        endMs = max(endMs, e.endMs)
        originPackets += Int64(max(0, e.packetsSent))
        responderPackets += Int64(max(0, e.packetsReceived))
        originBytes += max(0, e.bytesSent)
        responderBytes += max(0, e.bytesReceived)
        originFlags.formUnion(e.clientFlags)
        responderFlags.formUnion(e.serverFlags)
        anomalies.formUnion(e.anomalies)
        if incident.isNone { incident = e.incident }
    }

    /// A TCP connection ends with its record that carries a FIN or a RST.
    var isClosed: Bool { transport == .tcp && !originFlags.union(responderFlags).isDisjoint(with: [.fin, .rst]) }

    /// Zeek's `conn_state`: S0 (a SYN never answered), REJ (answered with a RST), SF (established
    /// and closed by FINs), RSTO / RSTR (established, then reset by the originator / the
    /// responder), S1 (established, not closed when logged); UDP and ICMP: SF when both sides
    /// sent, S0 when only the originator did. A session already open when the run began (no
    /// SYN in its records) is OTH.
    var state: StaticString {
        guard transport == .tcp else { return responderPackets > 0 ? "SF" : "S0" }
        // Picked up mid-stream (the session began before the run): no SYN seen, as Zeek logs it.
        guard originFlags.contains(.syn) else { return "OTH" }
        let answered = responderFlags.contains(.syn)
        // A security group that refuses drops the SYN: no answer, S0. A closed port answers RST: REJ.
        if !answered { return responderFlags.contains(.rst) ? "REJ" : "S0" }
        if originFlags.contains(.rst) { return "RSTO" }
        if responderFlags.contains(.rst) { return "RSTR" }
        if originFlags.contains(.fin) && responderFlags.contains(.fin) { return "SF" }
        return "S1"
    }

    /// Writes Zeek's `history`: the originator's events in capitals, the responder's in lower
    /// case, in the order a connection of this course shows them.
    func writeHistory(_ p: inout UnsafeMutablePointer<UInt8>) {
        func put(_ c: Unicode.Scalar) { ByteWriting.byte(&p, UInt8(truncatingIfNeeded: c.value)) }
        guard transport == .tcp else {
            put("D")
            if responderPackets > 0 { put("d") }
            return
        }
        if originFlags.contains(.syn) {
            put("S")
            if responderFlags.contains(.syn) {
                put("h")
            } else {
                if responderFlags.contains(.rst) { put("r") }
                return
            }
        }
        if originFlags.contains(.ack) { put("A") }
        if originPayload > 0 { put("D") }
        if responderFlags.contains(.ack) { put("a") }
        if responderPayload > 0 { put("d") }
        if originFlags.contains(.fin) { put("F") }
        if responderFlags.contains(.fin) { put("f") }
        if originFlags.contains(.rst) { put("R") }
        if responderFlags.contains(.rst) { put("r") }
    }

    /// IP and transport header bytes of one packet (no options).
    private var headerBytes: Int64 {
        switch transport {
        case .tcp: 40
        case .udp: 28
        default: 28
        }
    }

    /// Payload bytes: what Zeek's orig_bytes / resp_bytes count (the IP bytes without headers).
    var originPayload: Int64 { max(0, originBytes - originPackets * headerBytes) }
    var responderPayload: Int64 { max(0, responderBytes - responderPackets * headerBytes) }

    /// Zeek's `service`, from the application protocol (nil when none is known).
    var service: StaticString? {
        switch app {
        case .http11, .http2: "http"
        case .tls: "ssl"
        case .dns: "dns"
        case .ssh: "ssh"
        case .ntp: "ntp"
        case .mysql: "mysql"
        case .postgresql: "postgresql"
        case .redis: "redis"
        case .icmp, .tcp, .udp: nil
        }
    }
}
