import TelemetryModel

/// Reads the flat JSON objects the stores write (`{"bandwidth_mbps":1.5,"packet_errors":3}`) with
/// ``JSONByteScanner``, the tokenizer the report bodies are read with: strict JSON, the keys and
/// the string and number values at the top level (strings decoded); any other value reads as
/// absent, skipped with the bodies' nesting limit. Faster than a decoder on the hot path of
/// `GetMetric` and `ListMetrics`; anything that is not one JSON object is nil (and the caller
/// falls back or refuses).
enum FlatJSON {
    enum Value { case number(Substring), string(String) }

    static func parse(_ bytes: [UInt8]) -> [String: Value]? {
        bytes.withUnsafeBytes { parse($0) }
    }

    static func parse(_ bytes: UnsafeRawBufferPointer) -> [String: Value]? {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return nil }
        var s = JSONByteScanner(base: base, count: bytes.count)
        var fields: [String: Value] = [:]
        do throws(JSONScanFailure) {
            guard try s.peekToken(expecting: .value) == UInt8(ascii: "{") else { return nil }
            s.position += 1
            var key = try s.firstKey()
            while let name = key {
                try s.colon()
                let field = s.decodedString(name)
                switch try s.kindOfValue() {
                case .string:
                    fields[field] = .string(s.decodedString(try s.scanString()))
                case .number:
                    let start = s.position
                    _ = try s.scanNumber()
                    let text = UnsafeRawBufferPointer(start: s.base + start, count: s.position - start)
                    fields[field] = .number(Substring(String(decoding: text, as: UTF8.self)))
                case .boolean, .null, .array, .object:
                    try s.skipValue(depth: 1, maxDepth: ReportJSONReader.maxDepth)
                    fields[field] = nil
                }
                key = try s.nextKey()
            }
        } catch {
            return nil
        }
        return fields
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
        parse(bytes).flatMap { metrics($0, switchID: switchID, timestamp: timestamp) }
    }

    private static func metrics(_ fields: [String: Value], switchID: String, timestamp: Int64) -> SwitchReport? {
        guard let bandwidth = double(fields, "bandwidth_mbps"), let latency = double(fields, "latency_ms"),
              let errors = integer(fields, "packet_errors") else { return nil }
        return SwitchReport(switchID: switchID, timestamp: timestamp, bandwidthMbps: bandwidth, latencyMs: latency, packetErrors: errors)
    }

    /// A whole report as ``ReportJSON/report(_:into:)`` writes it.
    static func report(_ bytes: [UInt8]) -> SwitchReport? {
        guard let fields = parse(bytes), case .string(let id)? = fields["switch_id"], let timestamp = integer(fields, "timestamp"),
              var report = metrics(fields, switchID: id, timestamp: timestamp) else { return nil }
        report.linkSpeedMbps = integer(fields, "link_speed_mbps")
        report.utilizationPct = double(fields, "utilization_pct")
        report.drops = integer(fields, "drops")
        report.crcErrors = integer(fields, "crc_errors")
        if case .string(let status)? = fields["oper_status"] { report.operStatus = status }
        if case .string(let label)? = fields["label"] { report.label = label }
        return report
    }
}
