/// Splits CSV text (RFC 4180) into records and cells: cells end at a comma, records at a line
/// end (`\n`, `\r\n` or a lone `\r`) outside quotes; a quoted cell may hold commas, line ends and
/// doubled quotes (`""` for `"`). Text that breaks the quoting (`"ab"c`, a stray quote inside an
/// unquoted cell, a quote never closed) makes its record ``Record/isMalformed``.
struct CSVRecordScanner {
    /// What ``next(keeping:)`` found of one record.
    struct Record {
        /// Cells in the record (0 for an empty line).
        var cellCount = 0
        /// The unquoted contents of the cells asked for, in the order asked (every cell when all
        /// were asked for).
        var kept: [[UInt8]?]
        /// Quoting broken somewhere in the record.
        var isMalformed = false
    }

    private let bytes: UnsafeRawBufferPointer
    private var position: Int

    private static let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), lf: UInt8 = 10, cr: UInt8 = 13

    /// Scans `bytes`, after a UTF-8 byte order mark if there is one.
    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        position = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
    }

    /// The next record, keeping the contents of the cells at `wanted` (positions from 0), or of
    /// every cell when `wanted` is nil; nil at the end of the text.
    mutating func next(keeping wanted: [Int]?) -> Record? {
        guard position < bytes.count else { return nil }
        var record = Record(kept: Array(repeating: nil, count: wanted?.count ?? 0))
        if bytes[position] == Self.lf || bytes[position] == Self.cr {
            skipLineEnd()
            return record
        }
        var cell = 0
        var contents: [UInt8] = []
        while true {
            // Where the cell's contents go in `kept`, if anywhere.
            let keep = wanted == nil ? cell : wanted?.firstIndex(of: cell)
            contents.removeAll(keepingCapacity: true)
            let ended = scanCell(keeping: keep != nil, into: &contents, record: &record)
            if let keep {
                if wanted == nil { record.kept.append(contents) } else { record.kept[keep] = contents }
            }
            cell += 1
            if ended { break }
        }
        record.cellCount = cell
        return record
    }

    private mutating func skipLineEnd() {
        if bytes[position] == Self.cr { position += 1 }
        if position < bytes.count && bytes[position] == Self.lf { position += 1 }
    }

    /// Scans one cell, appending its contents to `contents` when `keep`; returns whether the
    /// record ended after it (a line end or the end of the text).
    private mutating func scanCell(keeping keep: Bool, into contents: inout [UInt8], record: inout Record) -> Bool {
        var quoted = position < bytes.count && bytes[position] == Self.quote
        if quoted { position += 1 }
        while position < bytes.count {
            let byte = bytes[position]
            if quoted {
                position += 1
                guard byte == Self.quote else {
                    if keep { contents.append(byte) }
                    continue
                }
                if position < bytes.count && bytes[position] == Self.quote {
                    if keep { contents.append(byte) }
                    position += 1
                    continue
                }
                quoted = false
                // Only a comma or a line end may follow a closing quote.
                if position < bytes.count, bytes[position] != Self.comma, bytes[position] != Self.lf, bytes[position] != Self.cr {
                    record.isMalformed = true
                }
                continue
            }
            switch byte {
            case Self.comma:
                position += 1
                return false
            case Self.lf, Self.cr:
                skipLineEnd()
                return true
            default:
                if byte == Self.quote { record.isMalformed = true }
                if keep { contents.append(byte) }
                position += 1
            }
        }
        // The end of the text; inside quotes, the quote was never closed.
        if quoted { record.isMalformed = true }
        return true
    }
}
