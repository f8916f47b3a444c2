// Shared by the two ingester harnesses, compiled into their module together with the ingester's
// report files (Sources/Ingester/Report*.swift and the few they need), so that `ReportParser`,
// `ReportJSONReader` and `ReportCSVReader` are reachable.

// MARK: - Writing reports back

/// Bodies written from parsed reports, canonically and independently of the project's encoders:
/// every field the report has, nothing for a field it lacks.
enum ReportBodies {
    static let csvHeader = "timestamp,switch_id,bandwidth_mbps,latency_ms,packet_errors,link_speed_mbps,utilization_pct,drops,crc_errors,oper_status,label"

    /// A JSON array of records.
    static func json(_ reports: [SwitchReport]) -> [UInt8] {
        var out = "["
        for (index, r) in reports.enumerated() {
            if index > 0 { out += "," }
            out += "{\"timestamp\":\(r.timestamp),\"switch_id\":\(jsonString(r.switchID)),\"bandwidth_mbps\":\(r.bandwidthMbps)"
            out += ",\"latency_ms\":\(r.latencyMs),\"packet_errors\":\(r.packetErrors)"
            if let value = r.linkSpeedMbps { out += ",\"link_speed_mbps\":\(value)" }
            if let value = r.utilizationPct { out += ",\"utilization_pct\":\(value)" }
            if let value = r.drops { out += ",\"drops\":\(value)" }
            if let value = r.crcErrors { out += ",\"crc_errors\":\(value)" }
            if let value = r.operStatus { out += ",\"oper_status\":\(jsonString(value))" }
            if let value = r.label { out += ",\"label\":\(jsonString(value))" }
            out += "}"
        }
        return Array((out + "]").utf8)
    }

    /// CSV with every column; an empty field for a value the report lacks.
    static func csv(_ reports: [SwitchReport]) -> [UInt8] {
        var out = csvHeader + "\n"
        for r in reports {
            let fields: [String] = [
                "\(r.timestamp)", csvField(r.switchID), "\(r.bandwidthMbps)", "\(r.latencyMs)", "\(r.packetErrors)",
                r.linkSpeedMbps.map { "\($0)" } ?? "", r.utilizationPct.map { "\($0)" } ?? "", r.drops.map { "\($0)" } ?? "",
                r.crcErrors.map { "\($0)" } ?? "", r.operStatus.map(csvField) ?? "", r.label.map(csvField) ?? "",
            ]
            out += fields.joined(separator: ",") + "\n"
        }
        return Array(out.utf8)
    }

    private static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{00}"..."\u{1F}":
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    private static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingAll("\"", with: "\"\"") + "\""
    }

    /// Whether every integer of the reports is one the JSON reader takes as exact (it reads
    /// numbers as Doubles and refuses integers of 9e15 and beyond; CSV reads Int64 exactly).
    static func integersFitJSON(_ reports: [SwitchReport]) -> Bool {
        reports.allSatisfy { r in
            [r.timestamp, r.packetErrors, r.linkSpeedMbps ?? 0, r.drops ?? 0, r.crcErrors ?? 0].allSatisfy { $0.magnitude < 9_000_000_000_000_000 }
        }
    }
}

// MARK: - Reading them again

enum ReportChecks {
    /// A body read with `rules` (strict, no clock check, by default).
    static func json(_ body: [UInt8], rules: ReportRules = .formatOnly) -> Result<ReportParser.Parsed, ReportParser.Failure> {
        do throws(ReportParser.Failure) {
            return .success(try ReportParser.json(body, rules: rules))
        } catch {
            return .failure(error)
        }
    }

    static func csv(_ body: [UInt8], rules: ReportRules = .formatOnly) -> Result<ReportParser.Parsed, ReportParser.Failure> {
        do throws(ReportParser.Failure) {
            return .success(try ReportParser.csv(body, rules: rules))
        } catch {
            return .failure(error)
        }
    }

    /// The checks both body formats share: `NumberText`, strict against lenient, the clock check,
    /// failures well formed, accepted reports written back in both formats read the same.
    /// `accepted` adds the format's own checks of a strict reading.
    static func checkBody(
        _ body: [UInt8], _ what: String, read: (_ body: [UInt8], _ rules: ReportRules) -> Result<ReportParser.Parsed, ReportParser.Failure>,
        accepted: (ReportParser.Parsed) -> Void = { _ in }
    ) {
        checkNumberText(body)
        let strict = read(body, .formatOnly)
        let lenient = read(body, ReportRules(maxFutureSkew: nil, lenient: true))
        checkLenient(strict: strict, lenient: lenient, what)
        checkFutureSkew(body, formatOnly: strict, read: read, what)
        switch strict {
        case .failure(let failure):
            checkFailure(failure, what)
        case .success(let parsed):
            accepted(parsed)
            checkRoundTrips(parsed.reports, what)
        }
        if case .failure(let failure) = lenient { checkFailure(failure, "lenient \(what)") }
    }

    /// A failure lists 1 to ``ReportParser/maxProblems`` problems, none of them empty.
    static func checkFailure(_ failure: ReportParser.Failure, _ what: String) {
        FuzzCheck.require(
            (1...ReportParser.maxProblems).contains(failure.problems.count), "\(what): a failure with \(failure.problems.count) problems")
        FuzzCheck.require(!failure.problems.contains(where: \.isEmpty), "\(what): an empty problem in \(failure.problems)")
    }

    /// Strict and lenient readings agree: what strict accepts, lenient accepts with nothing
    /// ignored; what lenient accepts ignoring nothing, strict accepts; both give the same reports.
    static func checkLenient(
        strict: Result<ReportParser.Parsed, ReportParser.Failure>, lenient: Result<ReportParser.Parsed, ReportParser.Failure>, _ what: String
    ) {
        switch (strict, lenient) {
        case (.success(let s), .success(let l)):
            FuzzCheck.require(s.reports == l.reports, "\(what): strict and lenient read different reports")
            FuzzCheck.require(l.duplicateKeys == 0 && l.unknownFields == 0, "\(what): lenient ignored things strict accepted")
            FuzzCheck.require(s.duplicateKeys == 0 && s.unknownFields == 0, "\(what): strict counted ignored things")
        case (.success, .failure(let l)):
            FuzzCheck.fail("\(what): strict accepted, lenient refused: \(l.problems)")
        case (.failure(let s), .success(let l)):
            // (A CSV header naming an unknown column, and no line under it, ignores no value.)
            FuzzCheck.require(
                l.duplicateKeys + l.unknownFields > 0 || l.reports.isEmpty, "\(what): lenient accepted ignoring nothing what strict refused: \(s.problems)")
        case (.failure, .failure):
            break
        }
    }

    /// Timestamps too far ahead of a fixed clock are refused, naming the clock; everything else
    /// is read as without the check.
    static func checkFutureSkew(
        _ body: [UInt8], formatOnly: Result<ReportParser.Parsed, ReportParser.Failure>, read: ([UInt8], ReportRules) -> Result<ReportParser.Parsed, ReportParser.Failure>,
        _ what: String
    ) {
        let now = 1_700_000_000.0
        let rules = ReportRules(maxFutureSkew: 300, lenient: false, clock: { now })
        let checked = read(body, rules)
        switch (formatOnly, checked) {
        case (.success(let plain), .success(let skewed)):
            FuzzCheck.require(plain.reports == skewed.reports, "\(what): the clock check changed the reports")
            FuzzCheck.require(plain.reports.allSatisfy { $0.timestamp <= 1_700_000_300 }, "\(what): a timestamp past now + 300 s was accepted")
        case (.success(let plain), .failure(let failure)):
            FuzzCheck.require(plain.reports.contains { $0.timestamp > 1_700_000_300 }, "\(what): refused with the clock check alone, no timestamp ahead: \(failure.problems)")
            FuzzCheck.require(
                failure.problems.allSatisfy { $0.contains("ahead of the server's clock") }, "\(what): the clock check's problems: \(failure.problems)")
        case (.failure, .success):
            FuzzCheck.fail("\(what): accepted with the clock check only")
        case (.failure, .failure):
            break
        }
    }

    /// `NumberText` against the standard library, on every run of bytes between separators
    /// (`,`, whitespace, brackets, quotes, colons): `fastDouble` is exact when it answers,
    /// `isDecimal` holds for what it converts, and `int64` agrees with `Int64(_:)`.
    static func checkNumberText(_ body: [UInt8]) {
        var start = 0
        for end in 0...body.count where end == body.count || isSeparator(body[end]) {
            defer { start = end + 1 }
            guard end > start, end - start <= 400 else { continue }
            body[start..<end].withUnsafeBytes { text in
                let string = String(decoding: text, as: UTF8.self)
                if let fast = NumberText.fastDouble(text) {
                    FuzzCheck.require(NumberText.isDecimal(text), "fastDouble converted \(string), which isDecimal refuses")
                    let reference = Double(string)
                    FuzzCheck.require(
                        reference.map { $0 == fast && $0.sign == fast.sign } ?? false,
                        "NumberText.fastDouble(\(string)) = \(fast), Double(_:) = \(String(describing: reference))")
                }
                if let integer = NumberText.int64(text) {
                    FuzzCheck.require(Int64(string) == integer, "NumberText.int64(\(string)) = \(integer), Int64(_:) = \(String(describing: Int64(string)))")
                }
            }
        }
    }

    private static func isSeparator(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: ","), UInt8(ascii: " "), 0x0A, 0x0D, 0x09, UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"),
            UInt8(ascii: "}"), UInt8(ascii: "\""), UInt8(ascii: ":"):
            true
        default: false
        }
    }

    /// Reports written back as JSON and as CSV read again as the same reports.
    static func checkRoundTrips(_ reports: [SwitchReport], _ what: String) {
        let csv = ReportBodies.csv(reports)
        switch Self.csv(csv) {
        case .success(let again):
            FuzzCheck.require(again.reports == reports, "\(what): written as CSV, read back differently: \(FuzzCheck.hex(csv))")
        case .failure(let failure):
            FuzzCheck.fail("\(what): written as CSV, refused: \(failure.problems) \(FuzzCheck.hex(csv))")
        }
        guard ReportBodies.integersFitJSON(reports) else { return }
        let json = ReportBodies.json(reports)
        switch Self.json(json) {
        case .success(let again):
            FuzzCheck.require(again.reports == reports, "\(what): written as JSON, read back differently: \(FuzzCheck.hex(json))")
        case .failure(let failure):
            FuzzCheck.fail("\(what): written as JSON, refused: \(failure.problems) \(FuzzCheck.hex(json))")
        }
    }
}

extension String {
    /// Every `target` replaced (without Foundation).
    fileprivate func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for character in self { if character == target { out += replacement } else { out.append(character) } }
        return out
    }
}
