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
    /// Open connections: a list with free places, and the index from session id to place.
    private var open: [ZeekConnection?] = []
    /// Each place's last packet (`Int64.max` when free).
    private var openEndMs: [Int64] = []
    /// (last packet, place) each time a connection got a record, oldest first, from `expiryHead`
    /// on: a sweep reads from the front while the times are old enough, and an entry whose place
    /// has moved on since (a later record, or another connection) is passed over.
    private var expiry: [(endMs: Int64, place: Int32)] = []
    private var expiryHead = 0
    private var freePlaces: [Int32] = []
    private var index = ZeekSessionIndex()
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

    /// Folds records `range` of `events` in order, loading the index entries of records a few
    /// places ahead while it works.
    public func add(_ events: UnsafePointer<FlowEvent>, _ range: Range<Int>, into out: inout WriteBuffer) {
        let ahead = 8
        for i in range {
            if i + ahead < range.upperBound { index.prefetch(events[i + ahead].sessionID) }
            add(events[i], into: &out)
        }
    }

    /// Folds `e` into its connection; appends to `out` the lines of connections that ended.
    public func add(_ e: FlowEvent, into out: inout WriteBuffer) {
        guard !e.dropped else { return }
        clockMs = max(clockMs, e.endMs)
        if let position = index.find(e.sessionID) {
            let place = Int(index.place(at: position))
            open[place]!.add(e)
            openEndMs[place] = open[place]!.endMs
            if open[place]!.isClosed {
                write(open[place]!, into: &out)
                index.remove(at: position)
                close(place)
            } else {
                expiry.append((openEndMs[place], Int32(place)))
            }
        } else {
            let connection = ZeekConnection(e)
            if connection.isClosed {
                write(connection, into: &out)
            } else {
                let place: Int32
                if let free = freePlaces.popLast() {
                    place = free
                    open[Int(free)] = connection
                    openEndMs[Int(free)] = connection.endMs
                } else {
                    place = Int32(open.count)
                    open.append(connection)
                    openEndMs.append(connection.endMs)
                }
                index.insert(e.sessionID, place: place)
                expiry.append((connection.endMs, place))
            }
        }
        if clockMs - sweptMs >= 10_000 { sweep(into: &out) }
    }

    private func close(_ place: Int) {
        open[place] = nil
        openEndMs[place] = .max
        freePlaces.append(Int32(place))
    }

    /// Logs every connection still open, as Zeek does when it stops.
    public func finish(into out: inout WriteBuffer) {
        for connection in open.compactMap({ $0 }).sorted(by: { $0.sessionID < $1.sessionID }) { write(connection, into: &out) }
        open.removeAll()
        openEndMs.removeAll()
        expiry.removeAll()
        expiryHead = 0
        freePlaces.removeAll()
        index = ZeekSessionIndex()
    }

    /// Connections quiet for longer than the inactivity timeout, in session order.
    private func sweep(into out: inout WriteBuffer) {
        sweptMs = clockMs
        var expired: [(session: Int64, place: Int)] = []
        let limit = clockMs - inactivityMs
        while expiryHead < expiry.count && expiry[expiryHead].endMs < limit {
            let (endMs, place) = expiry[expiryHead]
            expiryHead += 1
            guard openEndMs[Int(place)] == endMs else { continue }
            openEndMs[Int(place)] = .min  // taken: a second entry of the same time passes over it
            expired.append((open[Int(place)]!.sessionID, Int(place)))
        }
        if expiryHead > 4_096 && expiryHead * 2 > expiry.count {
            expiry.removeFirst(expiryHead)
            expiryHead = 0
        }
        expired.sort { $0.session < $1.session }
        for (session, place) in expired {
            write(open[place]!, into: &out)
            if let position = index.find(session) { index.remove(at: position) }
            close(place)
        }
    }

    // MARK: - Lines

    private func write(_ c: ZeekConnection, into out: inout WriteBuffer) {
        connections += 1
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
