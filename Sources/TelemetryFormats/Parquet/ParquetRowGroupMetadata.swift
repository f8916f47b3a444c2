/// One `RowGroup` of a file's footer: its column chunks (one per leaf column, in schema order)
/// and its number of rows.
public struct ParquetRowGroupMetadata: Sendable, Hashable {
    public var columns: [ParquetColumnChunkMetadata]
    public var totalByteSize: Int64
    public var numRows: Int64

    init(reading reader: inout ThriftCompactReader) throws(ParquetReadError) {
        var columns: [ParquetColumnChunkMetadata]?
        var totalByteSize: Int64 = 0
        var numRows: Int64?
        try reader.readStruct("RowGroup") { (r: inout ThriftCompactReader, id, type) throws(ParquetReadError) in
            switch id {
            case 1:
                columns = try r.list(type, "RowGroup.columns", of: .structure) { (r: inout ThriftCompactReader) throws(ParquetReadError) in
                    try ParquetColumnChunkMetadata(reading: &r)
                }
            case 2: totalByteSize = try r.i64(type, "RowGroup.total_byte_size")
            case 3: numRows = try r.i64(type, "RowGroup.num_rows")
            default: return false
            }
            return true
        }
        guard let columns else { throw reader.malformed("a RowGroup has no columns") }
        guard let numRows, numRows >= 0 else { throw reader.malformed("a RowGroup has no num_rows (or a negative one)") }
        self.columns = columns
        self.totalByteSize = totalByteSize
        self.numRows = numRows
    }
}
