import Observability

/// JSON for reports, written by hand (no encoder per request): the Go ingester's three metrics, a
/// whole report, and single values.
enum ReportJSON {
    /// `{"bandwidth_mbps":1234.5,"latency_ms":12.3,"packet_errors":7}`: the Go ingester's record.
    static func originalMetrics(_ r: SwitchReport, into out: inout String) {
        out += "{\"bandwidth_mbps\":"
        number(r.bandwidthMbps, into: &out)
        out += ",\"latency_ms\":"
        number(r.latencyMs, into: &out)
        out += ",\"packet_errors\":"
        out += String(r.packetErrors)
        out += "}"
    }

    /// Every field of a report, with `switch_id` and `timestamp`.
    static func report(_ r: SwitchReport, into out: inout String) {
        out += "{\"switch_id\":\""
        out += r.switchID
        out += "\",\"timestamp\":"
        out += String(r.timestamp)
        for metric in Metric.allCases {
            guard let value = r.value(of: metric) else { continue }
            out += ",\""
            out += metric.rawValue
            out += "\":"
            self.value(value, into: &out)
        }
        if let label = r.label {
            out += ",\"label\":"
            JSONText.appendString(label, to: &out)
        }
        out += "}"
    }

    static func value(_ value: MetricValue, into out: inout String) {
        switch value {
        case .number(let number): self.number(number, into: &out)
        case .integer(let integer): out += String(integer)
        case .text(let text): JSONText.appendString(text, to: &out)
        }
    }

    /// A finite double as JSON (shortest form that reads back the same).
    static func number(_ value: Double, into out: inout String) {
        out += value.isFinite ? "\(value)" : "null"
    }
}
