import TelemetryModel

/// Zeek's conn.log of the flow records: one line per connection (a session's records folded
/// together), written when it closes (a TCP record with FIN or RST) or when it has been quiet for
/// `inactivityMs` of event time (Zeek's inactivity timeouts), and for those still open at the
/// end. TSV with Zeek's header (`#separator`, `#fields`, `#types`, ...) or JSON lines as Zeek's
/// `LogAscii::use_json` writes them, with the ground truth in three more columns: `label`,
/// `incident_id` and `technique`.
///
/// Used by one thread.
public final class ZeekConnLog {
    public enum Format: Sendable { case tsv, json }

    public let format: Format
    /// Connections written so far.
    public private(set) var connections: UInt64 = 0
    private let inactivityMs: Int64
    private var open: [Int64: ZeekConnection] = [:]
    /// The latest record's end, and when the last sweep for quiet connections ran (event time).
    private var clockMs: Int64 = 0
    private var sweptMs: Int64 = 0

    public static let fields: [(name: String, type: String)] = [
        ("ts", "time"), ("uid", "string"), ("id.orig_h", "addr"), ("id.orig_p", "port"), ("id.resp_h", "addr"), ("id.resp_p", "port"),
        ("proto", "enum"), ("service", "string"), ("duration", "interval"), ("orig_bytes", "count"), ("resp_bytes", "count"),
        ("conn_state", "string"), ("local_orig", "bool"), ("local_resp", "bool"), ("missed_bytes", "count"), ("history", "string"),
        ("orig_pkts", "count"), ("orig_ip_bytes", "count"), ("resp_pkts", "count"), ("resp_ip_bytes", "count"),
        ("tunnel_parents", "set[string]"), ("label", "string"), ("incident_id", "string"), ("technique", "string"),
    ]

    /// - Parameter inactivityMs: how long a connection may go without a record before it is
    ///   logged as ended (more than the aggregation window, so a long session's next record
    ///   still finds it open).
    public init(format: Format, inactivityMs: Int64) {
        self.format = format
        self.inactivityMs = inactivityMs
    }

    /// The TSV header (nothing for JSON), opened at `ms`.
    public func header(openMs ms: Int64) -> String {
        guard format == .tsv else { return "" }
        return "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n#open\t\(Self.zeekTime(ms))\n"
            + "#fields\t" + Self.fields.map(\.name).joined(separator: "\t") + "\n"
            + "#types\t" + Self.fields.map(\.type).joined(separator: "\t") + "\n"
    }

    /// The TSV trailer (nothing for JSON), closed at the end of the latest record.
    public func trailer() -> String { format == .tsv ? "#close\t\(Self.zeekTime(clockMs))\n" : "" }

    /// Folds `e` into its connection; appends to `out` the lines of connections that ended.
    public func add(_ e: FlowEvent, into out: inout WriteBuffer) {
        guard !e.dropped else { return }
        clockMs = max(clockMs, e.endMs)
        if var connection = open.removeValue(forKey: e.sessionID) {
            connection.add(e)
            if connection.isClosed { write(connection, into: &out) } else { open[e.sessionID] = connection }
        } else {
            let connection = ZeekConnection(e)
            if connection.isClosed { write(connection, into: &out) } else { open[e.sessionID] = connection }
        }
        if clockMs - sweptMs >= 10_000 { sweep(into: &out) }
    }

    /// Logs every connection still open, as Zeek does when it stops.
    public func finish(into out: inout WriteBuffer) {
        for key in open.keys.sorted() { write(open[key]!, into: &out) }
        open.removeAll()
    }

    /// Connections quiet for longer than the inactivity timeout.
    private func sweep(into out: inout WriteBuffer) {
        sweptMs = clockMs
        let expired = open.filter { clockMs - $0.value.endMs > inactivityMs }.keys.sorted()
        for key in expired { write(open.removeValue(forKey: key)!, into: &out) }
    }

    // MARK: - Lines

    private func write(_ c: ZeekConnection, into out: inout WriteBuffer) {
        connections += 1
        var line = ""
        line.reserveCapacity(320)
        let icmp = c.transport == .icmp
        // ICMP: the originator's port is the message type (echo request, 8), the responder's the code.
        let originPort = icmp ? 8 : Int(c.originPort)
        let responderPort = icmp ? 0 : Int(c.responderPort)
        let proto = c.transport == .tcp ? "tcp" : c.transport == .udp ? "udp" : "icmp"
        let label = c.anomalies.primaryLabel.name
        let incident = c.incident.isNone ? nil : c.incident.text
        let technique = c.incident.isNone ? nil : c.incident.family.technique.map { "\($0)" }
        let duration = Double(c.endMs - c.startMs) / 1_000
        switch format {
        case .tsv:
            let cells: [String] = [
                Self.seconds(c.startMs), Self.uid(c.sessionID), "\(c.origin)", "\(originPort)", "\(c.responder)", "\(responderPort)", proto,
                c.service.map { "\($0)" } ?? "-", Self.fixed(duration), "\(c.originPayload)", "\(c.responderPayload)", "\(c.state)",
                Self.isLocal(c.origin) ? "T" : "F", Self.isLocal(c.responder) ? "T" : "F", "0", c.history,
                "\(c.originPackets)", "\(c.originBytes)", "\(c.responderPackets)", "\(c.responderBytes)", "(empty)",
                label, incident ?? "-", technique ?? "-",
            ]
            line = cells.joined(separator: "\t")
        case .json:
            line = "{\"ts\":\(Self.seconds(c.startMs)),\"uid\":\"\(Self.uid(c.sessionID))\",\"id.orig_h\":\"\(c.origin)\",\"id.orig_p\":\(originPort)"
                + ",\"id.resp_h\":\"\(c.responder)\",\"id.resp_p\":\(responderPort),\"proto\":\"\(proto)\""
                + (c.service.map { ",\"service\":\"\($0)\"" } ?? "")
                + ",\"duration\":\(Self.fixed(duration)),\"orig_bytes\":\(c.originPayload),\"resp_bytes\":\(c.responderPayload),\"conn_state\":\"\(c.state)\""
                + ",\"local_orig\":\(Self.isLocal(c.origin)),\"local_resp\":\(Self.isLocal(c.responder)),\"missed_bytes\":0,\"history\":\"\(c.history)\""
                + ",\"orig_pkts\":\(c.originPackets),\"orig_ip_bytes\":\(c.originBytes),\"resp_pkts\":\(c.responderPackets),\"resp_ip_bytes\":\(c.responderBytes)"
                + ",\"label\":\"\(label)\"" + (incident.map { ",\"incident_id\":\"\($0)\"" } ?? "") + (technique.map { ",\"technique\":\"\($0)\"" } ?? "") + "}"
        }
        line += "\n"
        out.append(line)
    }

    /// `C` and 17 base-62 characters from the session id, as Zeek's uids look (stable per session).
    static func uid(_ session: Int64) -> String {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)
        func mix(_ v: UInt64) -> UInt64 {
            var z = v &+ 0x9E37_79B9_7F4A_7C15
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        // Two independent 64-bit words: ten characters from the first, seven from the second.
        var words = [mix(UInt64(bitPattern: session)), mix(UInt64(bitPattern: session) ^ 0x5555_5555_5555_5555)]
        var out: [UInt8] = [UInt8(ascii: "C")]
        for i in 0..<17 {
            let w = i < 10 ? 0 : 1
            out.append(alphabet[Int(words[w] % 62)])
            words[w] /= 62
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Unix seconds with six decimals (`1795334399.386000`).
    static func seconds(_ ms: Int64) -> String {
        let whole = ms >= 0 ? ms / 1_000 : (ms - 999) / 1_000
        let fraction = ms - whole * 1_000
        return "\(whole)." + String(repeating: "0", count: 3 - String(fraction).count) + "\(fraction)000"
    }

    static func fixed(_ seconds: Double) -> String {
        let micros = Int64((seconds * 1_000_000).rounded())
        let fraction = String(micros % 1_000_000)
        return "\(micros / 1_000_000)." + String(repeating: "0", count: 6 - fraction.count) + fraction
    }

    /// Zeek's `#open`/`#close` time: `2026-11-22-08-00-00`.
    static func zeekTime(_ ms: Int64) -> String {
        let days = Int((ms >= 0 ? ms : ms - 86_399_999) / 86_400_000)
        let secondOfDay = Int(ms / 1_000 - Int64(days) * 86_400)
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(year)-\(two(month))-\(two(day))-\(two(secondOfDay / 3_600))-\(two(secondOfDay / 60 % 60))-\(two(secondOfDay % 60))"
    }

    /// RFC 1918 addresses: what Zeek's `Site::local_nets` would hold for this network.
    static func isLocal(_ address: IPv4Address) -> Bool {
        let a = address.value
        return a >> 24 == 10 || a >> 20 == 0xAC1 || a >> 16 == 0xC0A8
    }
}
