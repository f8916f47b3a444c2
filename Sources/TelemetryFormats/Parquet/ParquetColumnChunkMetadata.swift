/// One `ColumnChunk` of a row group with its `ColumnMetaData`: where the chunk's pages are, how
/// they are compressed, and how many values (levels, nulls included) they hold.
public struct ParquetColumnChunkMetadata: Sendable, Hashable {
    /// Set when the chunk lives in another file (this reader reads single files only).
    public var filePath: String?
    /// The physical type id (`Type`).
    public var type: Int32
    public var encodings: [Int32]
    public var pathInSchema: [String]
    /// `CompressionCodec`: 0 UNCOMPRESSED, 1 SNAPPY, 2 GZIP, 6 ZSTD, 7 LZ4_RAW, ...
    public var codec: Int32
    public var numValues: Int64
    public var totalUncompressedSize: Int64
    public var totalCompressedSize: Int64
    public var dataPageOffset: Int64
    public var indexPageOffset: Int64?
    public var dictionaryPageOffset: Int64?

    init(reading reader: inout ThriftCompactReader) throws(ParquetReadError) {
        var filePath: String?
        var metadata: Metadata?
        try reader.readStruct("ColumnChunk") { (r: inout ThriftCompactReader, id, type) throws(ParquetReadError) in
            switch id {
            case 1: filePath = try r.string(type, "ColumnChunk.file_path")
            case 3:
                guard type == .structure else { throw r.malformed("ColumnChunk.meta_data is a \(type.name), expected a struct") }
                metadata = try Metadata(reading: &r)
            default: return false
            }
            return true
        }
        guard let metadata else { throw reader.malformed("a ColumnChunk has no meta_data") }
        self.filePath = filePath
        type = metadata.type
        encodings = metadata.encodings
        pathInSchema = metadata.pathInSchema
        codec = metadata.codec
        numValues = metadata.numValues
        totalUncompressedSize = metadata.totalUncompressedSize
        totalCompressedSize = metadata.totalCompressedSize
        dataPageOffset = metadata.dataPageOffset
        indexPageOffset = metadata.indexPageOffset
        dictionaryPageOffset = metadata.dictionaryPageOffset
    }

    /// `ColumnMetaData` as read.
    private struct Metadata {
        var type: Int32
        var encodings: [Int32]
        var pathInSchema: [String]
        var codec: Int32
        var numValues: Int64
        var totalUncompressedSize: Int64
        var totalCompressedSize: Int64
        var dataPageOffset: Int64
        var indexPageOffset: Int64?
        var dictionaryPageOffset: Int64?

        init(reading reader: inout ThriftCompactReader) throws(ParquetReadError) {
            var type: Int32?, codec: Int32?
            var encodings: [Int32] = [], path: [String]?
            var numValues: Int64?, uncompressed: Int64?, compressed: Int64?, dataPage: Int64?
            var indexPage: Int64?, dictionaryPage: Int64?
            try reader.readStruct("ColumnMetaData") { (r: inout ThriftCompactReader, id, fieldType) throws(ParquetReadError) in
                switch id {
                case 1: type = try r.i32(fieldType, "ColumnMetaData.type")
                case 2: encodings = try r.listOfI32(fieldType, "ColumnMetaData.encodings")
                case 3: path = try r.listOfStrings(fieldType, "ColumnMetaData.path_in_schema")
                case 4: codec = try r.i32(fieldType, "ColumnMetaData.codec")
                case 5: numValues = try r.i64(fieldType, "ColumnMetaData.num_values")
                case 6: uncompressed = try r.i64(fieldType, "ColumnMetaData.total_uncompressed_size")
                case 7: compressed = try r.i64(fieldType, "ColumnMetaData.total_compressed_size")
                case 9: dataPage = try r.i64(fieldType, "ColumnMetaData.data_page_offset")
                case 10: indexPage = try r.i64(fieldType, "ColumnMetaData.index_page_offset")
                case 11: dictionaryPage = try r.i64(fieldType, "ColumnMetaData.dictionary_page_offset")
                default: return false
                }
                return true
            }
            guard let type, let codec, let path, let numValues, let uncompressed, let compressed, let dataPage else {
                let missing = [("type", type == nil), ("codec", codec == nil), ("path_in_schema", path == nil), ("num_values", numValues == nil),
                               ("total_uncompressed_size", uncompressed == nil), ("total_compressed_size", compressed == nil),
                               ("data_page_offset", dataPage == nil)].filter(\.1).map(\.0)
                throw reader.malformed("a ColumnMetaData has no \(missing.joined(separator: ", "))")
            }
            guard numValues >= 0, compressed >= 0, uncompressed >= 0 else {
                throw reader.malformed("column \(path.joined(separator: ".")): negative num_values or sizes (\(numValues), \(compressed), \(uncompressed))")
            }
            self.type = type
            self.encodings = encodings
            pathInSchema = path
            self.codec = codec
            self.numValues = numValues
            totalUncompressedSize = uncompressed
            totalCompressedSize = compressed
            dataPageOffset = dataPage
            indexPageOffset = indexPage
            dictionaryPageOffset = dictionaryPage
        }
    }
}
