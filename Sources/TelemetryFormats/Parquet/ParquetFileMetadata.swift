/// A file's footer (`FileMetaData`): the schema as a depth-first list of elements, the number of
/// rows, and the row groups.
public struct ParquetFileMetadata: Sendable, Hashable {
    public var version: Int32
    public var schema: [ParquetSchemaElement]
    public var numRows: Int64
    public var rowGroups: [ParquetRowGroupMetadata]
    public var keyValueMetadata: [String: String]
    public var createdBy: String?

    init(reading reader: inout ThriftCompactReader) throws(ParquetReadError) {
        var version: Int32 = 0
        var schema: [ParquetSchemaElement]?
        var numRows: Int64?
        var rowGroups: [ParquetRowGroupMetadata]?
        var keyValues: [String: String] = [:]
        var createdBy: String?
        try reader.readStruct("FileMetaData") { (r: inout ThriftCompactReader, id, type) throws(ParquetReadError) in
            switch id {
            case 1: version = try r.i32(type, "FileMetaData.version")
            case 2:
                schema = try r.list(type, "FileMetaData.schema", of: .structure) { (r: inout ThriftCompactReader) throws(ParquetReadError) in
                    try ParquetSchemaElement(reading: &r)
                }
            case 3: numRows = try r.i64(type, "FileMetaData.num_rows")
            case 4:
                rowGroups = try r.list(type, "FileMetaData.row_groups", of: .structure) { (r: inout ThriftCompactReader) throws(ParquetReadError) in
                    try ParquetRowGroupMetadata(reading: &r)
                }
            case 5:
                let pairs = try r.list(type, "FileMetaData.key_value_metadata", of: .structure) { (r: inout ThriftCompactReader) throws(ParquetReadError) in
                    var key: String?
                    var value: String?
                    try r.readStruct("KeyValue") { (r: inout ThriftCompactReader, id, type) throws(ParquetReadError) in
                        switch id {
                        case 1: key = try r.string(type, "KeyValue.key")
                        case 2: value = try r.string(type, "KeyValue.value")
                        default: return false
                        }
                        return true
                    }
                    return (key, value)
                }
                for case let (key?, value) in pairs { keyValues[key] = value ?? "" }
            case 6: createdBy = try r.string(type, "FileMetaData.created_by")
            default: return false
            }
            return true
        }
        guard let schema, !schema.isEmpty else { throw reader.malformed("the footer has no schema") }
        guard let numRows, numRows >= 0 else { throw reader.malformed("the footer has no num_rows (or a negative one)") }
        guard let rowGroups else { throw reader.malformed("the footer has no row_groups") }
        self.version = version
        self.schema = schema
        self.numRows = numRows
        self.rowGroups = rowGroups
        keyValueMetadata = keyValues
        self.createdBy = createdBy
    }
}
