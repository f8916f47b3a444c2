import Foundation

/// Reads the reports of a `POST /telemetry` body: a JSON array of records (or one record), or
/// CSV with a header line (the original generator's `/counters` columns, plus any of ours).
/// Strict: a bad record refuses the whole request (nothing is stored), naming the record, the
/// field and what is wrong.
enum ReportParser {
    /// At most this many problems are listed in one error.
    static let maxProblems = 10

    struct Failure: Error, Sendable {
        var problems: [String]
        var message: String { problems.joined(separator: "; ") }
    }

    /// Integers are read as numbers and checked here: Foundation's decoder reports `1.5` for an
    /// integer field as corrupt data without saying where.
    private struct Incoming: Decodable {
        var switch_id: String
        var timestamp: Double
        var bandwidth_mbps: Double
        var latency_ms: Double
        var packet_errors: Double
        var link_speed_mbps: Double?
        var utilization_pct: Double?
        var drops: Double?
        var crc_errors: Double?
        var oper_status: String?
        var label: String?
    }

    /// `value` as an integer, or a problem naming the record and field.
    private static func integer(_ value: Double, _ field: String, record: Int, problems: inout [String]) -> Int64 {
        guard value.isFinite, value == value.rounded(), abs(value) < 9e15 else {
            problems.append("record \(record): \(field) \(value) is not an integer")
            return 0
        }
        return Int64(value)
    }

    static func json(_ body: [UInt8]) throws(Failure) -> [SwitchReport] {
        let data = Data(body)
        let decoder = JSONDecoder()
        let records: [Incoming]
        do {
            if body.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) == UInt8(ascii: "[") {
                records = try decoder.decode([Incoming].self, from: data)
            } else {
                records = [try decoder.decode(Incoming.self, from: data)]
            }
        } catch let error as DecodingError {
            throw Failure(problems: [describe(error)])
        } catch {
            throw Failure(problems: ["the body is not JSON: \(error)"])
        }
        var problems: [String] = []
        var reports: [SwitchReport] = []
        reports.reserveCapacity(records.count)
        for (index, r) in records.enumerated() {
            func whole(_ value: Double, _ field: String) -> Int64 { integer(value, field, record: index, problems: &problems) }
            reports.append(SwitchReport(
                switchID: r.switch_id, timestamp: whole(r.timestamp, "timestamp"), bandwidthMbps: r.bandwidth_mbps, latencyMs: r.latency_ms,
                packetErrors: whole(r.packet_errors, "packet_errors"), linkSpeedMbps: r.link_speed_mbps.map { whole($0, "link_speed_mbps") },
                utilizationPct: r.utilization_pct, drops: r.drops.map { whole($0, "drops") }, crcErrors: r.crc_errors.map { whole($0, "crc_errors") },
                operStatus: r.oper_status, label: r.label
            ))
            if problems.count >= maxProblems { break }
        }
        guard problems.isEmpty else { throw Failure(problems: problems) }
        try validate(reports)
        return reports
    }

    static func csv(_ body: [UInt8]) throws(Failure) -> [SwitchReport] {
        let text = String(decoding: body, as: UTF8.self)
        var lines = text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        guard !lines.isEmpty else { throw Failure(problems: ["the CSV body is empty (a header line is required)"]) }
        let header = fields(of: lines.removeFirst()).map { $0.trimmingCharacters(in: .whitespaces) }
        var column: [String: Int] = [:]
        for (index, name) in header.enumerated() { column[name] = index }
        let required = ["timestamp", "switch_id", "bandwidth_mbps", "latency_ms", "packet_errors"]
        let missing = required.filter { column[$0] == nil }
        guard missing.isEmpty else {
            throw Failure(problems: ["the CSV header lacks \(missing.joined(separator: ", ")) (it must name timestamp,switch_id,bandwidth_mbps,latency_ms,packet_errors)"])
        }
        var reports: [SwitchReport] = []
        var problems: [String] = []
        for (index, line) in lines.enumerated() {
            let row = fields(of: line)
            let rowNumber = index + 2
            guard row.count == header.count else {
                problems.append("line \(rowNumber): \(row.count) fields, the header has \(header.count)")
                if problems.count >= maxProblems { break }
                continue
            }
            func text(_ name: String) -> String? { column[name].map { row[$0] }.flatMap { $0.isEmpty ? nil : $0 } }
            func integer(_ name: String, required: Bool = false) -> Int64? {
                guard let value = text(name) else {
                    if required { problems.append("line \(rowNumber): \(name) is empty") }
                    return nil
                }
                guard let number = Int64(value) else {
                    problems.append("line \(rowNumber): \(name) '\(value)' is not an integer")
                    return nil
                }
                return number
            }
            func number(_ name: String, required: Bool = false) -> Double? {
                guard let value = text(name) else {
                    if required { problems.append("line \(rowNumber): \(name) is empty") }
                    return nil
                }
                guard let number = Double(value) else {
                    problems.append("line \(rowNumber): \(name) '\(value)' is not a number")
                    return nil
                }
                return number
            }
            let before = problems.count
            let switchID = text("switch_id") ?? ""
            let timestamp = integer("timestamp", required: true)
            let bandwidth = number("bandwidth_mbps", required: true)
            let latency = number("latency_ms", required: true)
            let errors = integer("packet_errors", required: true)
            let report = SwitchReport(
                switchID: switchID, timestamp: timestamp ?? 0, bandwidthMbps: bandwidth ?? 0, latencyMs: latency ?? 0, packetErrors: errors ?? 0,
                linkSpeedMbps: integer("link_speed_mbps"), utilizationPct: number("utilization_pct"), drops: integer("drops"),
                crcErrors: integer("crc_errors"), operStatus: text("oper_status"), label: text("label")
            )
            if problems.count == before { reports.append(report) }
            if problems.count >= maxProblems { break }
        }
        guard problems.isEmpty else { throw Failure(problems: Array(problems.prefix(maxProblems))) }
        try validate(reports, label: "line", offset: 2)
        return reports
    }

    /// Ranges and names: what JSON types alone do not check.
    static func validate(_ reports: [SwitchReport], label: String = "record", offset: Int = 0) throws(Failure) {
        var problems: [String] = []
        for (index, r) in reports.enumerated() {
            let at = "\(label) \(index + offset)"
            if !SwitchReport.isValidSwitchID(r.switchID) {
                problems.append("\(at): switch_id '\(r.switchID.prefix(80))' is not 1-64 of A-Z a-z 0-9 _ . : - starting with a letter or digit")
            }
            if !(0...100_000_000_000).contains(r.timestamp) { problems.append("\(at): timestamp \(r.timestamp) is not Unix seconds") }
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
        guard problems.isEmpty else { throw Failure(problems: problems) }
    }

    /// The fields of one CSV line (double quotes around a field, `""` inside for a quote).
    static func fields(of line: Substring) -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        var iterator = line.makeIterator()
        while let c = iterator.next() {
            if quoted {
                if c == "\"" {
                    var lookahead = iterator
                    if lookahead.next() == "\"" {
                        current.append("\"")
                        iterator = lookahead
                    } else {
                        quoted = false
                    }
                } else {
                    current.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                fields.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        fields.append(current)
        return fields
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            var parts: [String] = []
            for key in context.codingPath {
                if let index = key.intValue { parts.append("record \(index)") } else { parts.append(key.stringValue) }
            }
            return parts.isEmpty ? "the body" : parts.joined(separator: ": ")
        }
        switch error {
        case .typeMismatch(let type, let context):
            return "\(path(context)): expected \(typeName(type))"
        case .valueNotFound(let type, let context):
            return "\(path(context)): expected \(typeName(type)), found null"
        case .keyNotFound(let key, let context):
            return "\(path(context)): \(key.stringValue) is missing".replacingOccurrences(of: "the body: ", with: "")
        case .dataCorrupted(let context):
            let reason = (context.underlyingError as NSError?)?.localizedDescription ?? context.debugDescription
            return "\(path(context)): not valid JSON (\(reason))"
        @unknown default:
            return "\(error)"
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is Int64.Type, is Int.Type: "an integer"
        case is Double.Type: "a number"
        case is String.Type: "a string"
        case is [Any].Type: "an array"
        default: "\(type)"
        }
    }
}
