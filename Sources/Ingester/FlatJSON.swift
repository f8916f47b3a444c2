/// Reads the flat JSON objects the stores write (`{"bandwidth_mbps":1.5,"packet_errors":3}`):
/// string keys, number or string values, no nesting. Faster than a decoder on the hot path of
/// `GetMetric` and `ListMetrics`; anything else is nil (and the caller falls back or refuses).
enum FlatJSON {
    enum Value { case number(Substring), string(String) }

    static func parse(_ bytes: [UInt8]) -> [String: Value]? {
        var fields: [String: Value] = [:]
        var i = 0
        let n = bytes.count
        func skipSpace() { while i < n, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 } }
        func string() -> String? {
            guard i < n, bytes[i] == UInt8(ascii: "\"") else { return nil }
            i += 1
            let start = i
            while i < n, bytes[i] != UInt8(ascii: "\"") {
                if bytes[i] == UInt8(ascii: "\\") { return nil }  // escapes: not what we write
                i += 1
            }
            guard i < n else { return nil }
            defer { i += 1 }
            return String(decoding: bytes[start..<i], as: UTF8.self)
        }
        skipSpace()
        guard i < n, bytes[i] == UInt8(ascii: "{") else { return nil }
        i += 1
        skipSpace()
        if i < n, bytes[i] == UInt8(ascii: "}") { return fields }
        while true {
            skipSpace()
            guard let key = string() else { return nil }
            skipSpace()
            guard i < n, bytes[i] == UInt8(ascii: ":") else { return nil }
            i += 1
            skipSpace()
            guard i < n else { return nil }
            if bytes[i] == UInt8(ascii: "\"") {
                guard let text = string() else { return nil }
                fields[key] = .string(text)
            } else {
                let start = i
                while i < n, bytes[i] != UInt8(ascii: ","), bytes[i] != UInt8(ascii: "}"), bytes[i] != 0x20 { i += 1 }
                guard i > start else { return nil }
                fields[key] = .number(Substring(String(decoding: bytes[start..<i], as: UTF8.self)))
            }
            skipSpace()
            guard i < n else { return nil }
            if bytes[i] == UInt8(ascii: "}") { return fields }
            guard bytes[i] == UInt8(ascii: ",") else { return nil }
            i += 1
        }
    }

    static func double(_ fields: [String: Value], _ key: String) -> Double? {
        if case .number(let text)? = fields[key] { return Double(text) }
        return nil
    }

    static func integer(_ fields: [String: Value], _ key: String) -> Int64? {
        if case .number(let text)? = fields[key] { return Int64(text) ?? Double(text).flatMap { $0 == $0.rounded() ? Int64(exactly: $0) : nil } }
        return nil
    }

    /// The Go ingester's record `{"bandwidth_mbps":..,"latency_ms":..,"packet_errors":..}`.
    static func metrics(_ bytes: [UInt8], switchID: String, timestamp: Int64) -> SwitchReport? {
        guard let fields = parse(bytes), let bandwidth = double(fields, "bandwidth_mbps"), let latency = double(fields, "latency_ms"),
              let errors = integer(fields, "packet_errors") else { return nil }
        return SwitchReport(switchID: switchID, timestamp: timestamp, bandwidthMbps: bandwidth, latencyMs: latency, packetErrors: errors)
    }

    /// A whole report as ``ReportJSON/report(_:into:)`` writes it.
    static func report(_ bytes: [UInt8]) -> SwitchReport? {
        guard let fields = parse(bytes), case .string(let id)? = fields["switch_id"], let timestamp = integer(fields, "timestamp"),
              var report = metrics(bytes, switchID: id, timestamp: timestamp) else { return nil }
        report.linkSpeedMbps = integer(fields, "link_speed_mbps")
        report.utilizationPct = double(fields, "utilization_pct")
        report.drops = integer(fields, "drops")
        report.crcErrors = integer(fields, "crc_errors")
        if case .string(let status)? = fields["oper_status"] { report.operStatus = status }
        if case .string(let label)? = fields["label"] { report.label = label }
        return report
    }
}
