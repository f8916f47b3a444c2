/// A page's header (`PageHeader`): its type, its sizes (the compressed size is what follows the
/// header in the file), and the header of its kind.
struct ParquetPageHeader {
    /// `PageType`.
    enum Kind: Int32 {
        case dataPage = 0, indexPage = 1, dictionaryPage = 2, dataPageV2 = 3
    }

    /// `DataPageHeader`: a v1 data page (levels and values compressed together).
    struct DataPage {
        var numValues: Int32
        var encoding: Int32
        var definitionLevelEncoding: Int32
        var repetitionLevelEncoding: Int32
    }

    /// `DataPageHeaderV2`: levels first and never compressed, then the values.
    struct DataPageV2 {
        var numValues: Int32
        var numNulls: Int32
        var numRows: Int32
        var encoding: Int32
        var definitionLevelsByteLength: Int32
        var repetitionLevelsByteLength: Int32
        var isCompressed: Bool
    }

    /// `DictionaryPageHeader`.
    struct DictionaryPage {
        var numValues: Int32
        var encoding: Int32
    }

    /// The raw page type (``Kind`` when known).
    var type: Int32
    var uncompressedPageSize: Int32
    var compressedPageSize: Int32
    var dataPage: DataPage?
    var dataPageV2: DataPageV2?
    var dictionaryPage: DictionaryPage?

    var kind: Kind? { Kind(rawValue: type) }

    init(reading reader: inout ThriftCompactReader) throws(ParquetReadError) {
        var type: Int32?, uncompressed: Int32?, compressed: Int32?
        var dataPage: DataPage?, dataPageV2: DataPageV2?, dictionaryPage: DictionaryPage?
        try reader.readStruct("PageHeader") { (r: inout ThriftCompactReader, id, fieldType) throws(ParquetReadError) in
            switch id {
            case 1: type = try r.i32(fieldType, "PageHeader.type")
            case 2: uncompressed = try r.i32(fieldType, "PageHeader.uncompressed_page_size")
            case 3: compressed = try r.i32(fieldType, "PageHeader.compressed_page_size")
            case 5:
                guard fieldType == .structure else { throw r.malformed("PageHeader.data_page_header is a \(fieldType.name), expected a struct") }
                dataPage = try Self.dataPage(&r)
            case 7:
                guard fieldType == .structure else { throw r.malformed("PageHeader.dictionary_page_header is a \(fieldType.name), expected a struct") }
                dictionaryPage = try Self.dictionaryPage(&r)
            case 8:
                guard fieldType == .structure else { throw r.malformed("PageHeader.data_page_header_v2 is a \(fieldType.name), expected a struct") }
                dataPageV2 = try Self.dataPageV2(&r)
            default: return false
            }
            return true
        }
        guard let type, let uncompressed, let compressed else { throw reader.malformed("the page header lacks its type or sizes") }
        guard uncompressed >= 0, compressed >= 0 else {
            throw reader.malformed("the page header has a negative size (\(uncompressed) uncompressed, \(compressed) compressed)")
        }
        self.type = type
        uncompressedPageSize = uncompressed
        compressedPageSize = compressed
        self.dataPage = dataPage
        self.dataPageV2 = dataPageV2
        self.dictionaryPage = dictionaryPage
    }

    private static func dataPage(_ reader: inout ThriftCompactReader) throws(ParquetReadError) -> DataPage {
        var numValues: Int32?, encoding: Int32?
        var definitionEncoding: Int32 = 3, repetitionEncoding: Int32 = 3
        try reader.readStruct("DataPageHeader") { (r: inout ThriftCompactReader, id, type) throws(ParquetReadError) in
            switch id {
            case 1: numValues = try r.i32(type, "DataPageHeader.num_values")
            case 2: encoding = try r.i32(type, "DataPageHeader.encoding")
            case 3: definitionEncoding = try r.i32(type, "DataPageHeader.definition_level_encoding")
            case 4: repetitionEncoding = try r.i32(type, "DataPageHeader.repetition_level_encoding")
            default: return false
            }
            return true
        }
        guard let numValues, let encoding, numValues >= 0 else { throw reader.malformed("a DataPageHeader lacks num_values or encoding (or has negative num_values)") }
        return DataPage(numValues: numValues, encoding: encoding, definitionLevelEncoding: definitionEncoding, repetitionLevelEncoding: repetitionEncoding)
    }

    private static func dataPageV2(_ reader: inout ThriftCompactReader) throws(ParquetReadError) -> DataPageV2 {
        var numValues: Int32?, numNulls: Int32 = 0, numRows: Int32?, encoding: Int32?
        var definitionLength: Int32 = 0, repetitionLength: Int32 = 0
        var isCompressed = true
        try reader.readStruct("DataPageHeaderV2") { (r: inout ThriftCompactReader, id, type) throws(ParquetReadError) in
            switch id {
            case 1: numValues = try r.i32(type, "DataPageHeaderV2.num_values")
            case 2: numNulls = try r.i32(type, "DataPageHeaderV2.num_nulls")
            case 3: numRows = try r.i32(type, "DataPageHeaderV2.num_rows")
            case 4: encoding = try r.i32(type, "DataPageHeaderV2.encoding")
            case 5: definitionLength = try r.i32(type, "DataPageHeaderV2.definition_levels_byte_length")
            case 6: repetitionLength = try r.i32(type, "DataPageHeaderV2.repetition_levels_byte_length")
            case 7: isCompressed = try r.bool(type, "DataPageHeaderV2.is_compressed")
            default: return false
            }
            return true
        }
        guard let numValues, let encoding, numValues >= 0, definitionLength >= 0, repetitionLength >= 0 else {
            throw reader.malformed("a DataPageHeaderV2 lacks num_values or encoding, or has a negative count or length")
        }
        return DataPageV2(
            numValues: numValues, numNulls: numNulls, numRows: numRows ?? numValues, encoding: encoding,
            definitionLevelsByteLength: definitionLength, repetitionLevelsByteLength: repetitionLength, isCompressed: isCompressed
        )
    }

    private static func dictionaryPage(_ reader: inout ThriftCompactReader) throws(ParquetReadError) -> DictionaryPage {
        var numValues: Int32?, encoding: Int32 = 0
        try reader.readStruct("DictionaryPageHeader") { (r: inout ThriftCompactReader, id, type) throws(ParquetReadError) in
            switch id {
            case 1: numValues = try r.i32(type, "DictionaryPageHeader.num_values")
            case 2: encoding = try r.i32(type, "DictionaryPageHeader.encoding")
            default: return false
            }
            return true
        }
        guard let numValues, numValues >= 0 else { throw reader.malformed("a DictionaryPageHeader lacks num_values (or has a negative one)") }
        return DictionaryPage(numValues: numValues, encoding: encoding)
    }
}
