/// Reads a whole Parquet file held in memory: checks `PAR1` at both ends and the footer's length,
/// parses the footer and the schema tree, and reads flat columns (required or optional, not
/// inside a list) of BOOLEAN, INT32, INT64, DOUBLE and BYTE_ARRAY across every row group and
/// page: data pages v1 and v2, PLAIN and dictionary encodings, codecs UNCOMPRESSED, SNAPPY,
/// GZIP, ZSTD and LZ4_RAW. Files written by ``ParquetFileWriter`` and by pyarrow read alike.
///
/// Nothing in the file is trusted: every offset, size and count is checked before it is used,
/// and a malformed file is a ``ParquetReadError``, never a crash.
public struct ParquetFileReader: Sendable {
    /// The default of ``valueLimit``.
    public static let defaultValueLimit = 1 << 26

    public let bytes: [UInt8]
    public let metadata: ParquetFileMetadata
    /// The leaf columns, in file order.
    public let columns: [ParquetLeafColumn]
    /// Values one read may return at most (a footer may claim any number of rows, and runs of
    /// equal values take a few bytes each): a larger read is refused with `tooLarge`.
    public let valueLimit: Int
    /// Where column chunks may lie: after the leading `PAR1`, before the footer.
    private let dataRange: Range<Int>

    private static let magic: [UInt8] = Array("PAR1".utf8)

    public init(bytes: [UInt8], valueLimit: Int = ParquetFileReader.defaultValueLimit) throws(ParquetReadError) {
        let count = bytes.count
        guard count >= 12 else {
            throw ParquetReadError(.notParquet, "\(count) bytes are too few for a Parquet file (PAR1, the footer, its length, PAR1: 12 at least)")
        }
        guard bytes[0..<4].elementsEqual(Self.magic) else { throw ParquetReadError(.notParquet, "the file does not start with PAR1: not Parquet") }
        let tail = bytes[(count - 4)...]
        if tail.elementsEqual("PARE".utf8) {
            throw ParquetReadError(.unsupported, "the file's footer is encrypted (PARE), which this reader does not read")
        }
        guard tail.elementsEqual(Self.magic) else {
            throw ParquetReadError(.notParquet, "the file does not end with PAR1 (cut short, or not Parquet)")
        }
        let lengthAt = count - 8
        let footerLength = bytes.littleEndianLength(at: lengthAt)
        guard footerLength > 0, footerLength <= count - 12 else {
            throw ParquetReadError(.badFooter, "the footer's length is \(footerLength) bytes, but the file has \(count - 12) between its PAR1 marks")
        }
        let footerStart = lengthAt - footerLength
        var reader = ThriftCompactReader(bytes: bytes, range: footerStart..<lengthAt, context: "the footer")
        let metadata = try ParquetFileMetadata(reading: &reader)
        let columns = try ParquetLeafColumn.leaves(of: metadata.schema)
        var rows: Int64 = 0
        for (index, group) in metadata.rowGroups.enumerated() {
            guard group.columns.count == columns.count else {
                throw ParquetReadError(.badMetadata, "row group \(index) has \(group.columns.count) column chunks, but the schema has \(columns.count) columns")
            }
            let (sum, overflow) = rows.addingReportingOverflow(group.numRows)
            guard !overflow else { throw ParquetReadError(.badMetadata, "the row groups' rows add up past \(Int64.max)") }
            rows = sum
        }
        guard rows == metadata.numRows else {
            throw ParquetReadError(.badMetadata, "the row groups hold \(rows) rows, but the footer says \(metadata.numRows)")
        }
        self.bytes = bytes
        self.metadata = metadata
        self.columns = columns
        self.valueLimit = valueLimit
        dataRange = 4..<footerStart
    }

    /// Rows in the file.
    public var rowCount: Int64 { metadata.numRows }

    public var rowGroupCount: Int { metadata.rowGroups.count }

    /// The index of the leaf column at `path` (`["seq"]`, `["app_layer", "host"]`).
    public func columnIndex(_ path: [String]) -> Int? {
        columns.firstIndex { $0.path == path }
    }

    /// Every value of the column at `path`, a row each.
    public func readColumn(_ path: [String]) throws(ParquetReadError) -> ParquetColumnValues {
        guard let index = columnIndex(path) else {
            throw ParquetReadError(.noSuchColumn, "no column \(path.joined(separator: ".")) (the file has \(columns.map(\.dottedPath).joined(separator: ", ")))")
        }
        return try readColumn(at: index)
    }

    /// Every value of column `index`, a row each; or those of one row group.
    public func readColumn(at index: Int, rowGroup: Int? = nil) throws(ParquetReadError) -> ParquetColumnValues {
        guard columns.indices.contains(index) else {
            throw ParquetReadError(.noSuchColumn, "no column \(index) (the file has \(columns.count))")
        }
        let groups: Range<Int>
        if let rowGroup {
            guard metadata.rowGroups.indices.contains(rowGroup) else {
                throw ParquetReadError(.noSuchColumn, "no row group \(rowGroup) (the file has \(metadata.rowGroups.count))")
            }
            groups = rowGroup..<rowGroup + 1
        } else {
            groups = metadata.rowGroups.indices
        }
        let column = columns[index]
        guard column.maxRepetition == 0 else {
            throw ParquetReadError(.unsupported, "column \(column.dottedPath) is repeated (inside a list): this reader reads flat columns")
        }
        let rows = groups.reduce(Int64(0)) { $0 + metadata.rowGroups[$1].numRows }
        guard rows <= Int64(valueLimit) else {
            throw ParquetReadError(.tooLarge, "column \(column.dottedPath): \(rows) values, more than the \(valueLimit) one read may return")
        }
        switch column.physicalType {
        case .boolean: return .boolean(try read(Bool.self, index, groups))
        case .int32: return .int32(try read(Int32.self, index, groups))
        case .int64: return .int64(try read(Int64.self, index, groups))
        case .double: return .double(try read(Double.self, index, groups))
        case .byteArray: return .byteArray(try read([UInt8].self, index, groups))
        case nil:
            throw ParquetReadError(.unsupported, "column \(column.dottedPath) is \(ParquetLeafColumn.typeName(column.typeID)), which this reader does not read")
        }
    }

    private func read<Value: ParquetValue>(_: Value.Type, _ index: Int, _ groups: Range<Int>) throws(ParquetReadError) -> [Value?] {
        let column = columns[index]
        let decompressor = ParquetDecompressor()
        var values: [Value?] = []
        for group in groups {
            let rowGroup = metadata.rowGroups[group]
            let chunk = rowGroup.columns[index]
            let name = "column \(column.dottedPath), row group \(group)"
            if let path = chunk.filePath, !path.isEmpty {
                throw ParquetReadError(.unsupported, "\(name): its pages are in another file (\(path))")
            }
            guard chunk.type == column.typeID, chunk.pathInSchema == column.path else {
                throw ParquetReadError(.badMetadata, "\(name): the chunk is \(chunk.pathInSchema.joined(separator: ".")) of \(ParquetLeafColumn.typeName(chunk.type)), but the schema says \(column.dottedPath) of \(ParquetLeafColumn.typeName(column.typeID))")
            }
            guard chunk.numValues == rowGroup.numRows else {
                throw ParquetReadError(.badMetadata, "\(name): \(chunk.numValues) values for \(rowGroup.numRows) rows (a flat column has one per row)")
            }
            if group == groups.lowerBound {
                // Room for the rows claimed, as far as the file's size makes them plausible.
                values.reserveCapacity(Int(min(Int64(bytes.count), Int64(valueLimit), rows(groups))))
            }
            let reader = ParquetColumnChunkReader<Value>(
                file: bytes, dataRange: dataRange, column: column, chunk: chunk, decompressor: decompressor, name: name
            )
            try reader.read(into: &values)
        }
        return values
    }

    private func rows(_ groups: Range<Int>) -> Int64 {
        groups.reduce(Int64(0)) { $0 + metadata.rowGroups[$1].numRows }
    }
}
