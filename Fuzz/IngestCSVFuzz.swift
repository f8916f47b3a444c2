// MARK: - libFuzzer entry point

/// Fuzzes the ingester's CSV body reader (`ReportParser.csv`, on `ReportCSVReader`), compiled into
/// this module from Sources/Ingester, with any bytes as a `POST /telemetry` body.
/// Properties, beyond "never traps":
/// 1. A refusal lists 1 to `ReportParser.maxProblems` problems, none empty; the reader gives each
///    report its line number, after the header's and rising.
/// 2. `\r\n` line ends read exactly as `\n` ones: the same reports, line numbers and problems.
/// 3. Strict and lenient reading agree (lenient accepts more only by ignoring unknown columns).
/// 4. With a clock check (300 s ahead of a fixed clock), only timestamps ahead are refused.
/// 5. The reports, written back as CSV and as JSON, read again as the same reports (JSON only
///    when every integer is below 9e15, the JSON reader's limit for exact integers).
/// 6. `NumberText`'s fast conversions of every cell-like run of the body equal the standard
///    library's.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let body = Array(UnsafeBufferPointer(start: data, count: size))
    IngestCSVProperties.checkReader(body)
    ReportChecks.checkBody(body, "CSV", read: { ReportChecks.csv($0, rules: $1) })
    return 0
}

enum IngestCSVProperties {
    /// Properties 1 (line numbers) and 2, on the reader itself.
    static func checkReader(_ body: [UInt8]) {
        let result = body.withUnsafeBytes { ReportCSVReader.read($0, lenient: false) }
        FuzzCheck.require(result.lines.count == result.reports.count, "\(result.reports.count) reports, \(result.lines.count) line numbers")
        var previous = 1
        for line in result.lines {
            FuzzCheck.require(line > previous, "line numbers \(result.lines) do not rise after the header's")
            previous = line
        }
        FuzzCheck.require(result.problems.count <= ReportParser.maxProblems, "\(result.problems.count) problems listed")

        guard !body.contains(0x0D) else { return }
        var crlf: [UInt8] = []
        crlf.reserveCapacity(body.count + body.count / 8)
        for b in body {
            if b == 0x0A { crlf.append(0x0D) }
            crlf.append(b)
        }
        let again = crlf.withUnsafeBytes { ReportCSVReader.read($0, lenient: false) }
        FuzzCheck.require(again.reports == result.reports, "CRLF line ends read different reports")
        FuzzCheck.require(again.lines == result.lines, "CRLF line ends numbered lines \(again.lines), LF ones \(result.lines)")
        FuzzCheck.require(again.problems == result.problems, "CRLF line ends: \(again.problems), LF: \(result.problems)")
    }
}
