import TelemetryModel

/// Wire names as static strings, so encoders copy them without touching `String`.
enum WireNames {
    @inline(__always)
    static func transport(_ value: TransportProtocol) -> StaticString {
        switch value {
        case .tcp: "TCP"
        case .udp: "UDP"
        case .icmp: "ICMP"
        }
    }

    @inline(__always)
    static func app(_ value: AppProtocol) -> StaticString {
        switch value {
        case .http11: "HTTP/1.1"
        case .http2: "HTTP/2"
        case .dns: "DNS"
        case .postgresql: "PostgreSQL"
        case .mysql: "MySQL"
        case .redis: "RESP"
        case .ntp: "NTP"
        case .icmp: "ICMP"
        case .tcp: "TCP"
        case .tls: "TLS"
        }
    }

    @inline(__always)
    static func method(_ value: AppMethod) -> StaticString {
        switch value {
        case .get: "GET"
        case .post: "POST"
        case .put: "PUT"
        case .delete: "DELETE"
        case .patch: "PATCH"
        case .head: "HEAD"
        case .options: "OPTIONS"
        case .query: "QUERY"
        case .txt: "TXT"
        case .command: "COMMAND"
        case .sync: "SYNC"
        case .echo: "ECHO"
        case .syn: "SYN"
        case .handshake: "HANDSHAKE"
        }
    }

    @inline(__always)
    static func label(_ value: AnomalyLabel) -> StaticString {
        switch value {
        case .normal: "normal"
        case .latencySpike: "latency_spike"
        case .connectionReset: "connection_reset"
        case .exfiltration: "exfiltration"
        case .portScan: "port_scan"
        case .malformed: "malformed"
        }
    }

    @inline(__always)
    static func malformed(_ value: MalformedKind) -> StaticString {
        switch value {
        case .truncated: "truncated"
        case .wrongType: "wrong_type"
        case .missingField: "missing_field"
        case .outOfRange: "out_of_range"
        case .badIP: "bad_ip"
        }
    }

    /// The flags in write order, joined by `separator` and each wrapped in `quote`.
    @inline(__always)
    static func flags(_ p: inout UnsafeMutablePointer<UInt8>, _ flags: TCPFlags, quote: Bool, separator: UInt8) {
        var first = true
        @inline(__always) func put(_ flag: TCPFlags, _ name: StaticString) {
            guard flags.contains(flag) else { return }
            if !first { ByteWriting.byte(&p, separator) }
            first = false
            if quote { ByteWriting.byte(&p, UInt8(ascii: "\"")) }
            ByteWriting.literal(&p, name)
            if quote { ByteWriting.byte(&p, UInt8(ascii: "\"")) }
        }
        put(.syn, "SYN")
        put(.fin, "FIN")
        put(.rst, "RST")
        put(.ack, "ACK")
        put(.psh, "PSH")
        put(.urg, "URG")
    }

    /// Anomaly names in ascending precedence, joined like ``flags(_:_:quote:separator:)``.
    @inline(__always)
    static func anomalies(_ p: inout UnsafeMutablePointer<UInt8>, _ set: AnomalySet, quote: Bool, separator: UInt8) {
        var first = true
        @inline(__always) func put(_ member: AnomalySet, _ name: StaticString) {
            guard set.contains(member) else { return }
            if !first { ByteWriting.byte(&p, separator) }
            first = false
            if quote { ByteWriting.byte(&p, UInt8(ascii: "\"")) }
            ByteWriting.literal(&p, name)
            if quote { ByteWriting.byte(&p, UInt8(ascii: "\"")) }
        }
        put(.latencySpike, "latency_spike")
        put(.connectionReset, "connection_reset")
        put(.exfiltration, "exfiltration")
        put(.portScan, "port_scan")
        put(.malformed, "malformed")
    }
}
