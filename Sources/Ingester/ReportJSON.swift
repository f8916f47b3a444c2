import TelemetryModel

/// JSON for reports, written by hand into a ``JSONWriter`` (no encoder per request): the Go
/// ingester's three metrics, a whole report, and single values.
enum ReportJSON {
    /// `{"bandwidth_mbps":1234.5,"latency_ms":12.3,"packet_errors":7}`: the Go ingester's record.
    static func originalMetrics(_ r: SwitchReport, into out: inout JSONWriter) {
        out.raw("{\"bandwidth_mbps\":")
        out.number(r.bandwidthMbps)
        out.raw(",\"latency_ms\":")
        out.number(r.latencyMs)
        out.raw(",\"packet_errors\":")
        out.integer(r.packetErrors)
        out.raw("}")
    }

    /// Every field of a report, with `switch_id` and `timestamp`.
    static func report(_ r: SwitchReport, into out: inout JSONWriter) {
        out.raw("{\"switch_id\":")
        out.string(r.switchID)
        out.raw(",\"timestamp\":")
        out.integer(r.timestamp)
        for metric in Metric.allCases {
            guard let value = r.value(of: metric) else { continue }
            out.raw(",\"")
            out.raw(metric.rawValue)
            out.raw("\":")
            self.value(value, into: &out)
        }
        if let label = r.label {
            out.raw(",\"label\":")
            out.string(label)
        }
        out.raw("}")
    }

    static func value(_ value: MetricValue, into out: inout JSONWriter) {
        switch value {
        case .number(let number): out.number(number)
        case .integer(let integer): out.integer(integer)
        case .text(let text): out.string(text)
        }
    }
}
