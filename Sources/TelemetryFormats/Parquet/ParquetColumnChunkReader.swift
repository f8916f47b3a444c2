/// Reads the pages of one column chunk (a flat column: one level per row) into values: an
/// optional dictionary page, then data pages v1 or v2 with PLAIN or dictionary-encoded values
/// and, for optional columns, RLE definition levels. Every size is checked against the chunk,
/// and the chunk against the file.
struct ParquetColumnChunkReader<Value: ParquetValue> {
    let file: [UInt8]
    /// Where the pages may lie: after the leading magic, before the footer.
    let dataRange: Range<Int>
    let column: ParquetLeafColumn
    let chunk: ParquetColumnChunkMetadata
    let decompressor: ParquetDecompressor
    /// The chunk, in messages (`column seq, row group 2`).
    let name: String

    /// Appends the chunk's values (nil for nulls) to `values`.
    func read(into values: inout [Value?]) throws(ParquetReadError) {
        _ = try ParquetDecompressor.compression(of: chunk.codec, what: name)
        // The chunk starts at its dictionary page when it has one (some writers also point
        // data_page_offset at it, some write a dictionary offset of 0 for none).
        var start = chunk.dataPageOffset
        if let dictionary = chunk.dictionaryPageOffset, dictionary > 0, dictionary < start { start = dictionary }
        let size = chunk.totalCompressedSize
        guard start >= Int64(dataRange.lowerBound), start <= Int64(dataRange.upperBound), size <= Int64(dataRange.upperBound) - start else {
            throw ParquetReadError(.outOfBounds, "\(name): its pages at bytes \(start) to \(start &+ size) lie outside the file's data (bytes \(dataRange.lowerBound) to \(dataRange.upperBound))")
        }
        let end = Int(start + size)
        var position = Int(start)
        var dictionary: [Value]?
        var levelsRead: Int64 = 0
        let total = chunk.numValues
        while levelsRead < total {
            guard position < end else {
                throw ParquetReadError(.badPage, "\(name): its \(size) bytes of pages hold \(levelsRead) of its \(total) values")
            }
            var reader = ThriftCompactReader(bytes: file, range: position..<end, context: "\(name): the page header at byte \(position)")
            let header = try ParquetPageHeader(reading: &reader)
            let bodyStart = reader.position
            let stored = Int(header.compressedPageSize)
            guard stored <= end - bodyStart else {
                throw ParquetReadError(.badPage, "\(name): the page at byte \(position) claims \(stored) bytes, past the chunk's end at byte \(end)")
            }
            let body = file[bodyStart..<bodyStart + stored]
            let page = "\(name), page at byte \(position)"
            position = bodyStart + stored
            switch header.kind {
            case .dictionaryPage:
                guard dictionary == nil, levelsRead == 0 else { throw ParquetReadError(.badPage, "\(page): a dictionary page after the chunk's first page") }
                guard let dictionaryHeader = header.dictionaryPage else { throw ParquetReadError(.badMetadata, "\(page): a dictionary page without its header") }
                guard dictionaryHeader.encoding == ParquetEncoding.plain || dictionaryHeader.encoding == ParquetEncoding.plainDictionary else {
                    throw ParquetReadError(.unsupported, "\(page): a dictionary in \(ParquetEncodingName.of(dictionaryHeader.encoding)), not PLAIN")
                }
                let data = try decompressor.decompress(body, codec: chunk.codec, size: Int(header.uncompressedPageSize), what: page)
                dictionary = try Value.decode(data, count: Int(dictionaryHeader.numValues), encoding: ParquetEncoding.plain, what: page)
            case .dataPage:
                guard let dataHeader = header.dataPage else { throw ParquetReadError(.badMetadata, "\(page): a data page without its header") }
                let count = try pageValues(dataHeader.numValues, left: total - levelsRead, page)
                let data = try decompressor.decompress(body, codec: chunk.codec, size: Int(header.uncompressedPageSize), what: page)
                var levels: [UInt32] = []
                var rest = data
                if column.maxDefinition > 0 {
                    guard dataHeader.definitionLevelEncoding == ParquetEncoding.rle else {
                        throw ParquetReadError(.unsupported, "\(page): definition levels in \(ParquetEncodingName.of(dataHeader.definitionLevelEncoding)), not RLE")
                    }
                    // v1: the levels' length first, 4 bytes little-endian.
                    guard data.count >= 4 else { throw ParquetReadError(.badPage, "\(page): \(data.count) bytes, too few for the definition levels' length") }
                    let s = data.startIndex
                    let length = data.littleEndianLength(at: s)
                    guard length <= data.count - 4 else {
                        throw ParquetReadError(.badPage, "\(page): definition levels of \(length) bytes in a page of \(data.count)")
                    }
                    try RLEHybridDecoder.decode(data[s + 4..<s + 4 + length], bitWidth: levelWidth, count: count, into: &levels, what: "\(page): definition levels")
                    rest = data[(s + 4 + length)...]
                }
                try append(rest, count: count, levels: levels, encoding: dataHeader.encoding, dictionary: dictionary, into: &values, page)
                levelsRead += Int64(count)
            case .dataPageV2:
                guard let dataHeader = header.dataPageV2 else { throw ParquetReadError(.badMetadata, "\(page): a data page v2 without its header") }
                let count = try pageValues(dataHeader.numValues, left: total - levelsRead, page)
                // v2: repetition then definition levels, never compressed and without a length
                // prefix, then the values (compressed unless is_compressed is false).
                let repetitionLength = Int(dataHeader.repetitionLevelsByteLength)
                let definitionLength = Int(dataHeader.definitionLevelsByteLength)
                let levelBytes = repetitionLength + definitionLength
                guard levelBytes <= body.count, levelBytes <= Int(header.uncompressedPageSize) else {
                    throw ParquetReadError(.badPage, "\(page): \(levelBytes) bytes of levels in a page of \(body.count) bytes (\(header.uncompressedPageSize) uncompressed)")
                }
                let s = body.startIndex + repetitionLength
                var levels: [UInt32] = []
                if column.maxDefinition > 0 {
                    try RLEHybridDecoder.decode(body[s..<s + definitionLength], bitWidth: levelWidth, count: count, into: &levels, what: "\(page): definition levels")
                }
                let valueBytes = body[(s + definitionLength)...]
                let codec = dataHeader.isCompressed ? chunk.codec : 0
                let data = try decompressor.decompress(valueBytes, codec: codec, size: Int(header.uncompressedPageSize) - levelBytes, what: page)
                try append(data, count: count, levels: levels, encoding: dataHeader.encoding, dictionary: dictionary, into: &values, page)
                levelsRead += Int64(count)
            case .indexPage, nil:
                continue  // not data: skipped whole
            }
        }
    }

    private var levelWidth: Int { Int.bitWidth - column.maxDefinition.leadingZeroBitCount }

    private func pageValues(_ count: Int32, left: Int64, _ page: String) throws(ParquetReadError) -> Int {
        guard Int64(count) <= left else {
            throw ParquetReadError(.badPage, "\(page): \(count) values, but the chunk has only \(left) left of its \(chunk.numValues)")
        }
        return Int(count)
    }

    /// Appends a data page's `count` rows: values where the definition level is the column's
    /// highest, nulls elsewhere.
    private func append(
        _ data: ArraySlice<UInt8>, count: Int, levels: [UInt32], encoding: Int32, dictionary: [Value]?, into values: inout [Value?], _ page: String
    ) throws(ParquetReadError) {
        let maxDefinition = UInt32(column.maxDefinition)
        var present = count
        if maxDefinition > 0 {
            present = 0
            for level in levels {
                if level == maxDefinition {
                    present += 1
                } else if level > maxDefinition {
                    throw ParquetReadError(.badPage, "\(page): a definition level of \(level), above the column's \(maxDefinition)")
                }
            }
        }
        let decoded: [Value]
        switch encoding {
        case ParquetEncoding.plainDictionary, ParquetEncoding.rleDictionary:
            guard let dictionary else { throw ParquetReadError(.badPage, "\(page): dictionary-encoded values, but the chunk has no dictionary page") }
            var indices: [UInt32] = []
            if present > 0 {
                guard let width = data.first else { throw ParquetReadError(.badPage, "\(page): no bytes for \(present) dictionary indices") }
                try RLEHybridDecoder.decode(data.dropFirst(), bitWidth: Int(width), count: present, into: &indices, what: "\(page): dictionary indices")
            }
            var mapped: [Value] = []
            mapped.reserveCapacity(present)
            for index in indices {
                guard Int(index) < dictionary.count else {
                    throw ParquetReadError(.badPage, "\(page): dictionary index \(index), but the dictionary holds \(dictionary.count) values")
                }
                mapped.append(dictionary[Int(index)])
            }
            decoded = mapped
        default:
            decoded = try Value.decode(data, count: present, encoding: encoding, what: page)
        }
        if maxDefinition == 0 {
            values.append(contentsOf: decoded.lazy.map(Optional.some))
            return
        }
        var next = 0
        for level in levels {
            if level == maxDefinition {
                values.append(decoded[next])
                next += 1
            } else {
                values.append(nil)
            }
        }
    }
}
