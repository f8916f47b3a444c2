/// Reads the reports of a `POST /telemetry` body: a JSON array of records (or one record), or
/// CSV with a header line (the Go switch generator's `/counters` columns, plus any of ours).
/// Strict: a bad record refuses the whole request (nothing is stored), naming the record, the
/// field and what is wrong, in the API's words; so do a duplicate key, an unknown field and a
/// timestamp too far ahead of the server's clock (``ReportRules``). Both formats are read in one
/// pass over the bytes.
enum ReportParser {
    /// At most this many problems are listed in one error.
    static let maxProblems = 10

    struct Failure: Error, Sendable {
        var problems: [String]
        var message: String { problems.joined(separator: "; ") }
    }

    /// The reports of a body, and what a lenient reading ignored (duplicate keys, unknown fields).
    struct Parsed: Sendable {
        var reports: [SwitchReport]
        var duplicateKeys = 0
        var unknownFields = 0
    }

    static func json(_ body: [UInt8], rules: ReportRules = .formatOnly) throws(Failure) -> Parsed {
        let result = body.withUnsafeBytes { ReportJSONReader.read($0, lenient: rules.lenient) }
        return try finish(result, rules: rules)
    }

    static func json(_ body: UnsafeRawBufferPointer, rules: ReportRules = .formatOnly) throws(Failure) -> Parsed {
        try finish(ReportJSONReader.read(body, lenient: rules.lenient), rules: rules)
    }

    static func csv(_ body: [UInt8], rules: ReportRules = .formatOnly) throws(Failure) -> Parsed {
        let result = body.withUnsafeBytes { ReportCSVReader.read($0, lenient: rules.lenient) }
        return try finish(result, rules: rules)
    }

    static func csv(_ body: UnsafeRawBufferPointer, rules: ReportRules = .formatOnly) throws(Failure) -> Parsed {
        try finish(ReportCSVReader.read(body, lenient: rules.lenient), rules: rules)
    }

    private static func finish(_ result: ReportJSONReader.Result, rules: ReportRules) throws(Failure) -> Parsed {
        try finish(result.reports, problems: result.problems, duplicateKeys: result.duplicateKeys, unknownFields: result.unknownFields, rules: rules)
    }

    private static func finish(_ result: ReportCSVReader.Result, rules: ReportRules) throws(Failure) -> Parsed {
        try finish(
            result.reports, problems: result.problems, duplicateKeys: 0, unknownFields: result.unknownFields, rules: rules, label: "line",
            lines: result.lines
        )
    }

    private static func finish(
        _ reports: [SwitchReport], problems: [String], duplicateKeys: Int, unknownFields: Int, rules: ReportRules, label: String = "record",
        lines: [Int]? = nil
    ) throws(Failure) -> Parsed {
        guard problems.isEmpty else { throw Failure(problems: Array(problems.prefix(maxProblems))) }
        try validate(reports, label: label, lines: lines, rules: rules)
        return Parsed(reports: reports, duplicateKeys: duplicateKeys, unknownFields: unknownFields)
    }

    /// Ranges, names and the clock: what the format alone does not check. `lines` gives each
    /// report's line number (CSV); records are numbered from 0.
    static func validate(_ reports: [SwitchReport], label: String = "record", lines: [Int]? = nil, rules: ReportRules = .formatOnly) throws(Failure) {
        var problems: [String] = []
        let now = rules.clock()
        let latest = ReportRules.latestAllowed(now: now, maxFutureSkew: rules.maxFutureSkew)
        for (index, r) in reports.enumerated() {
            let at = "\(label) \(lines?[index] ?? index)"
            if !SwitchReport.isValidSwitchID(r.switchID) {
                problems.append("\(at): switch_id '\(r.switchID.prefix(80))' is not 1-64 of A-Z a-z 0-9 _ . : - starting with a letter or digit")
            }
            if !(0...100_000_000_000).contains(r.timestamp) {
                problems.append("\(at): timestamp \(r.timestamp) is not Unix seconds")
            } else if let latest, r.timestamp > latest, let problem = ReportRules.futureProblem(r.timestamp, now: now, maxFutureSkew: rules.maxFutureSkew) {
                problems.append("\(at): \(problem)")
            }
            if !(r.bandwidthMbps.isFinite && (0...10_000_000).contains(r.bandwidthMbps)) { problems.append("\(at): bandwidth_mbps \(r.bandwidthMbps) is not 0-10000000") }
            if !(r.latencyMs.isFinite && (0...10_000_000).contains(r.latencyMs)) { problems.append("\(at): latency_ms \(r.latencyMs) is not 0-10000000") }
            if r.packetErrors < 0 { problems.append("\(at): packet_errors \(r.packetErrors) is negative") }
            if let value = r.linkSpeedMbps, value <= 0 { problems.append("\(at): link_speed_mbps \(value) is not positive") }
            if let value = r.utilizationPct, !(value.isFinite && (0...100).contains(value)) { problems.append("\(at): utilization_pct \(value) is not 0-100") }
            if let value = r.drops, value < 0 { problems.append("\(at): drops \(value) is negative") }
            if let value = r.crcErrors, value < 0 { problems.append("\(at): crc_errors \(value) is negative") }
            if let value = r.operStatus, value != "up", value != "down" { problems.append("\(at): oper_status '\(value.prefix(20))' is not up or down") }
            if let value = r.label, !SwitchReport.labels.contains(value) {
                problems.append("\(at): label '\(value.prefix(30))' is not one of \(SwitchReport.labels.sorted().joined(separator: ", "))")
            }
            if problems.count >= maxProblems { break }
        }
        guard problems.isEmpty else { throw Failure(problems: Array(problems.prefix(maxProblems))) }
    }
}
