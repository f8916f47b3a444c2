import TelemetryFormats
import TelemetryModel

/// The slots of a Parquet object's rows: its top-level `generator_id` (a string column) and
/// `seq` (an INT64 or INT32 column), read a row group at a time. A row whose `generator_id` or
/// `seq` is null (or a negative `seq`) names no slot; in a file without both columns, as flat
/// columns of those types, no row does.
enum ParquetSlotReader {
    /// What a file's rows name.
    struct Rows {
        /// A slot per row read through the columns (nil where the row names none).
        var slots: [RecordSlot?] = []
        /// Rows of a file without the columns, none of which names a slot.
        var withoutColumns = 0
    }

    /// Reads every row of the Parquet file in `bytes` (all of it, or an error).
    static func read(_ bytes: [UInt8]) throws(ParquetReadError) -> Rows {
        let file = try ParquetFileReader(bytes: bytes)
        /// The top-level column `name` when it is flat and of one of `types`.
        func flatColumn(_ name: String, _ types: [ParquetPhysicalType]) -> Int? {
            file.columnIndex([name]).flatMap { index in
                let column = file.columns[index]
                return column.maxRepetition == 0 && column.physicalType.map(types.contains) == true ? index : nil
            }
        }
        let generatorColumn = flatColumn("generator_id", [.byteArray])
        let seqColumn = flatColumn("seq", [.int64, .int32])
        var rows = Rows()
        guard let generatorColumn, let seqColumn else {
            rows.withoutColumns = Int(file.rowCount)
            return rows
        }
        for group in 0..<file.rowGroupCount {
            let ids = try file.readColumn(at: generatorColumn, rowGroup: group).strings ?? []
            let seqs = try file.readColumn(at: seqColumn, rowGroup: group).integers ?? []
            // Both hold the row group's rows (the reader checks each chunk against it).
            rows.slots.reserveCapacity(rows.slots.count + ids.count)
            for (id, seq) in zip(ids, seqs) {
                if let id, let seq, seq >= 0 {
                    rows.slots.append(RecordSlot(generatorID: id, seq: seq))
                } else {
                    rows.slots.append(nil)
                }
            }
        }
        return rows
    }
}
