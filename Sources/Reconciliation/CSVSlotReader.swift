import TelemetryModel

/// The slots of a CSV object's rows: the header line names the columns, and a row names its slot
/// when its `generator_id` cell is not empty, its `seq` cell is a clean non-negative integer
/// (digits only), it has as many cells as the header, and its quoting is whole. A row cut short
/// (the generator's truncated records stop before their first quoted cell), one with a cell too
/// many, or text in `seq` (`n/a`) names no slot. Empty lines are not rows.
enum CSVSlotReader {
    /// Calls `body` with each row's slot, nil for a row that names none (every row, when the
    /// header has no `generator_id` or `seq` column, or names either twice).
    static func forEachRow(_ bytes: [UInt8], _ body: (RecordSlot?) -> Void) {
        bytes.withUnsafeBytes { raw in
            var scanner = CSVRecordScanner(raw)
            // The header: the first line that is not empty.
            var header: CSVRecordScanner.Record?
            while let record = scanner.next(keeping: nil) {
                guard record.cellCount > 0 else { continue }
                header = record
                break
            }
            guard let header else { return }
            let names = header.kept.map { String(decoding: $0 ?? [], as: UTF8.self) }
            let generatorColumns = names.indices.filter { names[$0] == "generator_id" }
            let seqColumns = names.indices.filter { names[$0] == "seq" }
            let columns: [Int]
            if header.isMalformed || generatorColumns.count != 1 || seqColumns.count != 1 {
                columns = []
            } else {
                columns = [generatorColumns[0], seqColumns[0]]
            }
            // One String per distinct generator id in a row.
            var last: (bytes: [UInt8], id: String)?
            while let record = scanner.next(keeping: columns) {
                guard record.cellCount > 0 else { continue }
                guard !columns.isEmpty, record.cellCount == names.count, !record.isMalformed,
                      let idBytes = record.kept[0], !idBytes.isEmpty, let seqBytes = record.kept[1], let seq = cleanInteger(seqBytes)
                else {
                    body(nil)
                    continue
                }
                let id: String
                if let cached = last, cached.bytes == idBytes {
                    id = cached.id
                } else {
                    id = String(decoding: idBytes, as: UTF8.self)
                    last = (idBytes, id)
                }
                body(RecordSlot(generatorID: id, seq: seq))
            }
        }
    }

    /// Digits only (1 to 18 of them), as a number.
    static func cleanInteger(_ bytes: [UInt8]) -> Int64? {
        guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
        var value: Int64 = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int64(byte - UInt8(ascii: "0"))
        }
        return value
    }
}
