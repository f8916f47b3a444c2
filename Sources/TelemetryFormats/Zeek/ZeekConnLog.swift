import TelemetryModel

/// Zeek's conn.log of the flow records: one line per connection (a session's records folded
/// together by ``ZeekConnectionFold``), written when it closes (a TCP record with FIN or RST) or
/// when it has been quiet long enough, and for those still open at the end. TSV with Zeek's header
/// (`#separator`, `#fields`, `#types`, ...) or JSON lines as Zeek's `LogAscii::use_json` writes
/// them, with the ground truth in three more columns: `label`, `incident_id` and `technique`.
///
/// Holds nothing that changes: the lines of a step's records are written by several threads at
/// once, each into its own buffer.
public final class ZeekConnLog: Sendable {
    public enum Format: Sendable { case tsv, json }

    public let format: Format

    public static let fields: [(name: String, type: String)] = [
        ("ts", "time"), ("uid", "string"), ("id.orig_h", "addr"), ("id.orig_p", "port"), ("id.resp_h", "addr"), ("id.resp_p", "port"),
        ("proto", "enum"), ("service", "string"), ("duration", "interval"), ("orig_bytes", "count"), ("resp_bytes", "count"),
        ("conn_state", "string"), ("local_orig", "bool"), ("local_resp", "bool"), ("missed_bytes", "count"), ("history", "string"),
        ("orig_pkts", "count"), ("orig_ip_bytes", "count"), ("resp_pkts", "count"), ("resp_ip_bytes", "count"),
        ("tunnel_parents", "set[string]"), ("label", "string"), ("incident_id", "string"), ("technique", "string"),
    ]

    public init(format: Format) {
        self.format = format
    }

    /// The TSV header (nothing for JSON), opened at `ms`.
    public func header(openMs ms: Int64) -> String {
        guard format == .tsv else { return "" }
        return "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n#open\t\(Self.zeekTime(ms))\n"
            + "#fields\t" + Self.fields.map(\.name).joined(separator: "\t") + "\n"
            + "#types\t" + Self.fields.map(\.type).joined(separator: "\t") + "\n"
    }

    /// The TSV trailer (nothing for JSON), closed at `ms` (the end of the latest record).
    public func trailer(closeMs ms: Int64) -> String { format == .tsv ? "#close\t\(Self.zeekTime(ms))\n" : "" }

    /// Writes the lines of the connections that ended with record `record` of `endings`.
    @inline(__always)
    func write(_ endings: ZeekEndings, record: Int, into out: inout WriteBuffer) {
        let connections = endings.connections.base
        for i in endings.ended(at: record) { write(connections[i], into: &out) }
    }

    /// Writes, for each of `count` flow records `events`, the lines of the connections that ended
    /// with it (the record's sequence number less `firstSeq` is its place in `endings`), and sets
    /// `ends[i]` to the end of record `i`'s lines in `out`.
    public func write(_ endings: ZeekEndings, events: UnsafePointer<FlowEvent>, count: Int, firstSeq: Int64, into out: inout WriteBuffer, ends: UnsafeMutablePointer<Int>) {
        for i in 0..<count {
            write(endings, record: Int(events[i].seq - firstSeq), into: &out)
            ends[i] = out.count
        }
    }

    /// Writes every connection open just after record `seq` of `fold` (nil: before any), in
    /// session order, as Zeek does when it stops.
    public func writeOpen(of fold: ZeekConnectionFold, asOf seq: Int64?, into out: inout WriteBuffer) {
        for connection in fold.openConnections(asOf: seq) { write(connection, into: &out) }
    }

    // MARK: - Lines

    func write(_ c: ZeekConnection, into out: inout WriteBuffer) {
        out.reserve(640)
        let json = format == .json
        out.withWriter { start in
            var p = start
            let icmp = c.transport == .icmp
            Self.key(&p, json, "ts", first: true)
            Self.writeMillis(&p, c.startMs)
            Self.end(&p, json)
            Self.key(&p, json, "uid")
            Self.quote(&p, json)
            Self.writeUID(&p, c.sessionID)
            Self.quote(&p, json)
            Self.end(&p, json)
            Self.address(&p, json, "id.orig_h", c.origin.value)
            // ICMP: the originator's port is the message type (echo request, 8), the responder's the code.
            Self.count(&p, json, "id.orig_p", icmp ? 8 : Int64(c.originPort))
            Self.address(&p, json, "id.resp_h", c.responder.value)
            Self.count(&p, json, "id.resp_p", icmp ? 0 : Int64(c.responderPort))
            Self.text(&p, json, "proto", c.transport == .tcp ? "tcp" : c.transport == .udp ? "udp" : "icmp")
            Self.text(&p, json, "service", c.service)
            Self.key(&p, json, "duration")
            Self.writeMillis(&p, c.endMs - c.startMs)
            Self.end(&p, json)
            Self.count(&p, json, "orig_bytes", c.originPayload)
            Self.count(&p, json, "resp_bytes", c.responderPayload)
            Self.text(&p, json, "conn_state", c.state)
            Self.flag(&p, json, "local_orig", c.origin.isPrivate)
            Self.flag(&p, json, "local_resp", c.responder.isPrivate)
            Self.count(&p, json, "missed_bytes", 0)
            Self.key(&p, json, "history")
            Self.quote(&p, json)
            c.writeHistory(&p)
            Self.quote(&p, json)
            Self.end(&p, json)
            Self.count(&p, json, "orig_pkts", c.originPackets)
            Self.count(&p, json, "orig_ip_bytes", c.originBytes)
            Self.count(&p, json, "resp_pkts", c.responderPackets)
            Self.count(&p, json, "resp_ip_bytes", c.responderBytes)
            if !json { ByteWriting.literal(&p, "(empty)\t") }
            Self.text(&p, json, "label", c.anomalies.primaryLabel.staticName)
            if c.incident.isNone {
                if !json { ByteWriting.literal(&p, "-\t-\t") }
            } else {
                Self.key(&p, json, "incident_id")
                Self.quote(&p, json)
                ByteWriting.literal(&p, "inc-")
                ByteWriting.hex64(&p, c.incident.rawValue)
                Self.quote(&p, json)
                Self.end(&p, json)
                Self.text(&p, json, "technique", c.incident.family.technique)
            }
            if json {
                ByteWriting.literal(&p, "}\n")
            } else {
                p[-1] = UInt8(ascii: "\n")
            }
            return p
        }
    }

    // TSV: every cell then a tab (the last one's becomes the newline); JSON: `"name":` before each.

    @inline(__always)
    private static func key(_ p: inout UnsafeMutablePointer<UInt8>, _ json: Bool, _ name: StaticString, first: Bool = false) {
        guard json else { return }
        ByteWriting.literal(&p, first ? "{\"" : ",\"")
        ByteWriting.literal(&p, name)
        ByteWriting.literal(&p, "\":")
    }

    @inline(__always)
    private static func end(_ p: inout UnsafeMutablePointer<UInt8>, _ json: Bool) {
        if !json { ByteWriting.byte(&p, 9) }
    }

    @inline(__always)
    private static func quote(_ p: inout UnsafeMutablePointer<UInt8>, _ json: Bool) {
        if json { ByteWriting.byte(&p, UInt8(ascii: "\"")) }
    }

    /// A string cell, `-` (TSV) or nothing (JSON) when unset.
    @inline(__always)
    private static func text(_ p: inout UnsafeMutablePointer<UInt8>, _ json: Bool, _ name: StaticString, _ value: StaticString?) {
        guard let value else {
            if !json { ByteWriting.literal(&p, "-\t") }
            return
        }
        key(&p, json, name)
        quote(&p, json)
        ByteWriting.literal(&p, value)
        quote(&p, json)
        end(&p, json)
    }

    @inline(__always)
    private static func count(_ p: inout UnsafeMutablePointer<UInt8>, _ json: Bool, _ name: StaticString, _ value: Int64) {
        key(&p, json, name)
        ByteWriting.signed(&p, value)
        end(&p, json)
    }

    @inline(__always)
    private static func flag(_ p: inout UnsafeMutablePointer<UInt8>, _ json: Bool, _ name: StaticString, _ value: Bool) {
        key(&p, json, name)
        ByteWriting.literal(&p, json ? (value ? "true" : "false") : (value ? "T" : "F"))
        end(&p, json)
    }

    @inline(__always)
    private static func address(_ p: inout UnsafeMutablePointer<UInt8>, _ json: Bool, _ name: StaticString, _ value: UInt32) {
        key(&p, json, name)
        quote(&p, json)
        ByteWriting.ipv4(&p, value)
        quote(&p, json)
        end(&p, json)
    }

    /// Milliseconds as seconds with six decimals (`1795334399.386000`).
    static func writeMillis(_ p: inout UnsafeMutablePointer<UInt8>, _ ms: Int64) {
        let whole = ms >= 0 ? ms / 1_000 : (ms - 999) / 1_000
        ByteWriting.signed(&p, whole)
        ByteWriting.byte(&p, UInt8(ascii: "."))
        ByteWriting.zeroPadded(&p, UInt32(ms - whole * 1_000) * 1_000, width: 6)
    }

    /// Base-62 digit `d`: 0-9, A-Z, a-z, from a literal (a constant in the binary: an array would
    /// be a lazily made global, checked on every call).
    @inline(__always)
    private static func base62(_ d: UInt64) -> UInt8 {
        let digits: StaticString = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
        return digits.utf8Start[Int(truncatingIfNeeded: d)]
    }

    /// `C` and 17 base-62 characters from the session id, as Zeek's uids look (stable per session).
    static func writeUID(_ p: inout UnsafeMutablePointer<UInt8>, _ session: Int64) {
        // Two independent 64-bit words as fractions of 2^64: each character is the next base-62
        // digit (the high word of the word times 62), ten from the first, seven from the second.
        var first = SessionBits.mix(UInt64(bitPattern: session))
        var second = SessionBits.mix(UInt64(bitPattern: session) ^ 0x5555_5555_5555_5555)
        ByteWriting.byte(&p, UInt8(ascii: "C"))
        for _ in 0..<10 {
            let (digit, rest) = first.multipliedFullWidth(by: 62)
            ByteWriting.byte(&p, base62(digit))
            first = rest
        }
        for _ in 0..<7 {
            let (digit, rest) = second.multipliedFullWidth(by: 62)
            ByteWriting.byte(&p, base62(digit))
            second = rest
        }
    }

    static func uid(_ session: Int64) -> String {
        var bytes = [UInt8](repeating: 0, count: 18)
        bytes.withUnsafeMutableBufferPointer { buffer in
            var p = buffer.baseAddress!
            writeUID(&p, session)
        }
        return String(decoding: bytes, as: UTF8.self)
    }


    /// Zeek's `#open`/`#close` time: `2026-11-22-08-00-00`.
    static func zeekTime(_ ms: Int64) -> String {
        let days = (ms >= 0 ? ms : ms - 86_399_999) / 86_400_000
        let secondOfDay = Int(ms / 1_000 - days * 86_400)
        let date = ByteWriting.civil(days: days)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(date.year)-\(two(Int(date.month)))-\(two(Int(date.day)))-\(two(secondOfDay / 3_600))-\(two(secondOfDay / 60 % 60))-\(two(secondOfDay % 60))"
    }
}
