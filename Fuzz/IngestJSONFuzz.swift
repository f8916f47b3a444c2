import Foundation

// MARK: - libFuzzer entry point

/// Fuzzes the ingester's JSON body reader (`ReportParser.json`, on `ReportJSONReader`), compiled
/// into this module from Sources/Ingester, with any bytes as a `POST /telemetry` body.
/// Properties, beyond "never traps":
/// 1. A refusal lists 1 to `ReportParser.maxProblems` problems, none empty.
/// 2. A body it accepts is valid JSON for Foundation's `JSONSerialization` too: one object, or an
///    array of objects, as many as there are reports, each with the same values (numbers equal
///    exactly; an optional field that is null or absent is nil).
/// 3. Strict and lenient reading agree (lenient accepts more only by ignoring something).
/// 4. With a clock check (300 s ahead of a fixed clock), only timestamps ahead are refused.
/// 5. The reports, written back as JSON and as CSV, read again as the same reports.
/// 6. `NumberText`'s fast conversions of every run of number characters in the body equal the
///    standard library's.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let body = Array(UnsafeBufferPointer(start: data, count: size))
    ReportChecks.checkBody(body, "JSON", read: { ReportChecks.json($0, rules: $1) }) { parsed in
        IngestJSONProperties.checkAgainstFoundation(body, parsed.reports)
    }
    return 0
}

enum IngestJSONProperties {
    static func checkAgainstFoundation(_ body: [UInt8], _ reports: [SwitchReport]) {
        let value: Any
        switch body.withUnsafeBytes({ FuzzJSON.read($0) }) {
        case .value(let read):
            value = read
        case .numberOutOfRange:
            return  // valid JSON that Foundation cannot hold; nothing to compare with
        case .refused:
            FuzzCheck.fail("accepted a body JSONSerialization refuses")
        }
        let records: [[String: Any]]
        if let object = value as? [String: Any] {
            records = [object]
        } else if let array = value as? [Any] {
            guard let objects = array as? [[String: Any]] else { FuzzCheck.fail("accepted an array with an element that is not an object") }
            records = objects
        } else {
            FuzzCheck.fail("accepted a body that is neither an object nor an array")
        }
        FuzzCheck.require(records.count == reports.count, "\(reports.count) reports from \(records.count) records")
        for (index, (record, report)) in zip(records, reports).enumerated() {
            let at = "record \(index)"
            FuzzCheck.require(FuzzJSON.sameText(record["switch_id"], report.switchID), "\(at): switch_id \(report.switchID) vs \(String(describing: record["switch_id"]))")
            checkNumber(record["timestamp"], Double(report.timestamp), "\(at): timestamp")
            checkNumber(record["bandwidth_mbps"], report.bandwidthMbps, "\(at): bandwidth_mbps")
            checkNumber(record["latency_ms"], report.latencyMs, "\(at): latency_ms")
            checkNumber(record["packet_errors"], Double(report.packetErrors), "\(at): packet_errors")
            checkNumber(record["link_speed_mbps"], report.linkSpeedMbps.map(Double.init), "\(at): link_speed_mbps")
            checkNumber(record["utilization_pct"], report.utilizationPct, "\(at): utilization_pct")
            checkNumber(record["drops"], report.drops.map(Double.init), "\(at): drops")
            checkNumber(record["crc_errors"], report.crcErrors.map(Double.init), "\(at): crc_errors")
            checkText(record["oper_status"], report.operStatus, "\(at): oper_status")
            checkText(record["label"], report.label, "\(at): label")
        }
    }

    /// A JSON number's value as Foundation read it; nil for anything else.
    private static func number(_ value: Any?) -> Double? {
        guard let number = value as? NSNumber, String(cString: number.objCType) != "c" else { return nil }
        return number.doubleValue
    }

    private static func checkNumber(_ value: Any?, _ read: Double?, _ what: String) {
        guard let read else {
            FuzzCheck.require(value == nil || value is NSNull, "\(what): \(String(describing: value)) was not read")
            return
        }
        guard let reference = number(value) else { FuzzCheck.fail("\(what): read \(read), JSONSerialization \(String(describing: value))") }
        if value is NSDecimalNumber {
            // Foundation keeps numbers of many digits as decimals, whose doubleValue is only
            // close (8.999...9 with 37 nines gives 9.000000000000004): compare them loosely.
            FuzzCheck.require(
                abs(reference - read) <= 1e-9 * max(abs(read), 1e-300), "\(what): read \(read), JSONSerialization \(String(describing: value))")
        } else {
            FuzzCheck.require(reference == read, "\(what): read \(read), JSONSerialization \(String(describing: value))")
        }
    }

    private static func checkText(_ value: Any?, _ read: String?, _ what: String) {
        guard let read else {
            FuzzCheck.require(value == nil || value is NSNull, "\(what): \(String(describing: value)) was not read")
            return
        }
        FuzzCheck.require(FuzzJSON.sameText(value, read), "\(what): read \(read), JSONSerialization \(String(describing: value))")
    }
}
