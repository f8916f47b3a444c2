/// Reads the records of a CSV body in one pass over its bytes: a header line naming the columns
/// (the switch-metrics generator's `timestamp,switch_id,bandwidth_mbps,latency_ms,packet_errors`,
/// and any of ours), then one record a line. A field may be in double quotes (`""` inside for a
/// quote); empty lines are skipped; `\r\n` line ends are accepted. A column named twice is refused,
/// and so is an unknown column unless lenient (then its values are skipped and counted).
struct ReportCSVReader {
    struct Result {
        var reports: [SwitchReport] = []
        /// Each report's line number (from 1, the header's).
        var lines: [Int] = []
        var problems: [String] = []
        var unknownFields = 0
    }

    /// A field of the current line: its bytes, or its text when quotes had to be undone.
    private struct Cell {
        var start: Int
        var end: Int
        var unquoted: [UInt8]?
    }

    private let bytes: UnsafeRawBufferPointer
    private var cells: [Cell] = []
    private var result = Result()

    private init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    static func read(_ bytes: UnsafeRawBufferPointer, lenient: Bool) -> Result {
        var reader = ReportCSVReader(bytes: bytes)
        reader.read(lenient: lenient)
        return reader.result
    }

    private mutating func read(lenient: Bool) {
        var position = 0
        var lineNumber = 0
        var columns: [ReportField?]?
        var unknownColumns = 0
        let count = bytes.count
        while position < count {
            var end = position
            while end < count, bytes[end] != 0x0A { end += 1 }
            let next = end + 1
            lineNumber += 1
            if end > position, bytes[end - 1] == 0x0D { end -= 1 }
            defer { position = next }
            guard end > position else { continue }
            split(position, end)
            guard let known = columns else {
                guard let header = header(line: lineNumber, lenient: lenient) else { return }
                columns = header
                unknownColumns = header.count(where: { $0 == nil })
                continue
            }
            guard cells.count == known.count else {
                problem("line \(lineNumber): \(cells.count) fields, the header has \(known.count)")
                if result.problems.count >= ReportParser.maxProblems { return }
                continue
            }
            if let report = record(line: lineNumber, columns: known) {
                result.reports.append(report)
                result.lines.append(lineNumber)
                result.unknownFields += unknownColumns
            }
            if result.problems.count >= ReportParser.maxProblems { return }
        }
        if columns == nil { problem("the CSV body is empty (a header line is required)") }
    }

    /// The header's columns (nil for an unknown one), or nil when it is refused.
    private mutating func header(line: Int, lenient: Bool) -> [ReportField?]? {
        var columns: [ReportField?] = []
        var seen: UInt16 = 0
        for index in cells.indices {
            let name = text(index).trimmed(of: " \t")
            if let field = ReportField.byName[name] {
                if seen & field.bit != 0 { problem("line \(line): duplicate column \(field.name)") }
                seen |= field.bit
                columns.append(field)
            } else {
                if !lenient { problem("line \(line): unknown column \(name.prefix(64))") }
                columns.append(nil)
            }
        }
        let missing = ReportField.required.filter { seen & $0.bit == 0 }
        if !missing.isEmpty {
            problem("the CSV header lacks \(missing.map(\.name).joined(separator: ", ")) (it must name timestamp,switch_id,bandwidth_mbps,latency_ms,packet_errors)")
        }
        return result.problems.isEmpty ? columns : nil
    }

    /// The current line as a report; nil when it has problems (listed).
    private mutating func record(line: Int, columns: [ReportField?]) -> SwitchReport? {
        let before = result.problems.count
        var report = SwitchReport(switchID: "", timestamp: 0, bandwidthMbps: 0, latencyMs: 0, packetErrors: 0)
        for (index, column) in columns.enumerated() {
            guard let field = column else { continue }
            let empty = isEmpty(index)
            if empty {
                if ReportField.required.contains(field) { problem("line \(line): \(field.name) is empty") }
                continue
            }
            switch field.kind {
            case .integer:
                guard field != .seq else { continue }
                guard let value = integer(index) else {
                    problem("line \(line): \(field.name) '\(text(index).prefix(40))' is not an integer")
                    continue
                }
                switch field {
                case .timestamp: report.timestamp = value
                case .packetErrors: report.packetErrors = value
                case .linkSpeedMbps: report.linkSpeedMbps = value
                case .drops: report.drops = value
                case .crcErrors: report.crcErrors = value
                default: break
                }
            case .number:
                guard let value = number(index) else {
                    problem("line \(line): \(field.name) '\(text(index).prefix(40))' is not a number")
                    continue
                }
                switch field {
                case .bandwidthMbps: report.bandwidthMbps = value
                case .latencyMs: report.latencyMs = value
                case .utilizationPct: report.utilizationPct = value
                default: break
                }
            case .string:
                switch field {
                case .switchID: report.switchID = text(index)
                case .operStatus: report.operStatus = text(index)
                case .label: report.label = text(index)
                default: break
                }
            case .strings:
                continue
            }
        }
        return result.problems.count == before ? report : nil
    }

    private mutating func problem(_ text: String) {
        if result.problems.count < ReportParser.maxProblems { result.problems.append(text) }
    }

    // MARK: - Fields

    /// Splits `bytes[start..<end]` into ``cells`` at commas outside double quotes.
    private mutating func split(_ start: Int, _ end: Int) {
        cells.removeAll(keepingCapacity: true)
        var fieldStart = start
        var quoted = false
        var hasQuote = false
        var k = start
        while k < end {
            let b = bytes[k]
            if b == UInt8(ascii: "\"") {
                quoted.toggle()
                hasQuote = true
            } else if b == UInt8(ascii: ","), !quoted {
                cells.append(cell(fieldStart, k, hasQuote))
                fieldStart = k + 1
                hasQuote = false
            }
            k += 1
        }
        cells.append(cell(fieldStart, end, hasQuote))
    }

    /// A field; with quotes, its text with them undone (`"a ""b"""` is `a "b"`).
    private func cell(_ start: Int, _ end: Int, _ hasQuote: Bool) -> Cell {
        guard hasQuote else { return Cell(start: start, end: end) }
        var out: [UInt8] = []
        var quoted = false
        var k = start
        while k < end {
            let b = bytes[k]
            if b == UInt8(ascii: "\"") {
                if quoted, k + 1 < end, bytes[k + 1] == UInt8(ascii: "\"") {
                    out.append(b)
                    k += 1
                } else {
                    quoted.toggle()
                }
            } else {
                out.append(b)
            }
            k += 1
        }
        return Cell(start: start, end: end, unquoted: out)
    }

    private func isEmpty(_ index: Int) -> Bool {
        let cell = cells[index]
        return cell.unquoted.map(\.isEmpty) ?? (cell.start == cell.end)
    }

    private func withBytes<T>(_ index: Int, _ body: (UnsafeRawBufferPointer) -> T) -> T {
        let cell = cells[index]
        if let unquoted = cell.unquoted { return unquoted.withUnsafeBytes(body) }
        return body(UnsafeRawBufferPointer(rebasing: bytes[cell.start..<cell.end]))
    }

    private func text(_ index: Int) -> String {
        withBytes(index) { String(decoding: $0, as: UTF8.self) }
    }

    private func integer(_ index: Int) -> Int64? {
        withBytes(index) { NumberText.int64($0) ?? Int64(String(decoding: $0, as: UTF8.self)) }
    }

    private func number(_ index: Int) -> Double? {
        withBytes(index) { text in
            guard NumberText.isDecimal(text) else { return nil }
            return NumberText.fastDouble(text) ?? Double(String(decoding: text, as: UTF8.self))
        }
    }
}

extension String {
    /// The text without `characters` at either end.
    fileprivate func trimmed(of characters: String) -> String {
        var text = Substring(self)
        while let first = text.first, characters.contains(first) { text = text.dropFirst() }
        while let last = text.last, characters.contains(last) { text = text.dropLast() }
        return String(text)
    }
}
