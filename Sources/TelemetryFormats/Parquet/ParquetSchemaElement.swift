/// One `SchemaElement` of a file's footer: a group (with `numChildren`) or a leaf (with a
/// physical type). The list is the schema tree depth first, the root first.
public struct ParquetSchemaElement: Sendable, Hashable {
    public var name: String
    /// The physical type id (`Type`), for leaves.
    public var type: Int32?
    public var typeLength: Int32?
    /// `FieldRepetitionType`: 0 required, 1 optional, 2 repeated (nil for the root).
    public var repetition: Int32?
    /// Children, for groups.
    public var numChildren: Int32?
    public var convertedType: Int32?

    init(reading reader: inout ThriftCompactReader) throws(ParquetReadError) {
        var name: String?
        var type: Int32?, typeLength: Int32?, repetition: Int32?, numChildren: Int32?, convertedType: Int32?
        try reader.readStruct("SchemaElement") { (r: inout ThriftCompactReader, id, fieldType) throws(ParquetReadError) in
            switch id {
            case 1: type = try r.i32(fieldType, "SchemaElement.type")
            case 2: typeLength = try r.i32(fieldType, "SchemaElement.type_length")
            case 3: repetition = try r.i32(fieldType, "SchemaElement.repetition_type")
            case 4: name = try r.string(fieldType, "SchemaElement.name")
            case 5: numChildren = try r.i32(fieldType, "SchemaElement.num_children")
            case 6: convertedType = try r.i32(fieldType, "SchemaElement.converted_type")
            default: return false
            }
            return true
        }
        guard let name else { throw reader.malformed("a SchemaElement has no name") }
        self.name = name
        self.type = type
        self.typeLength = typeLength
        self.repetition = repetition
        self.numChildren = numChildren
        self.convertedType = convertedType
    }
}
