import TelemetryModel

/// What the footer records about one written column chunk.
struct ParquetChunkMetadata {
    var descriptor: ParquetColumnDescriptor
    var encodings: [Int32]
    var codec: Int32
    var valueCount: Int64
    var uncompressedBytes: Int64
    var compressedBytes: Int64
    var dataPageOffset: Int64
    var dictionaryPageOffset: Int64?
    var nullCount: Int64
    var minMax: (min: [UInt8], max: [UInt8])?
}

/// Encoding ids (`Encoding` in `parquet.thrift`).
enum ParquetEncoding {
    static let plain: Int32 = 0
    /// The dictionary encoding's older name (Parquet 1.0 writers), read as ``rleDictionary``.
    static let plainDictionary: Int32 = 2
    static let rle: Int32 = 3
    static let rleDictionary: Int32 = 8
}

extension ParquetColumnWriter {
    /// Writes the buffered chunk to `out`; see ``ParquetColumnState/writeChunk(to:fileOffset:pageRows:compressor:scratch:compressed:descriptor:)``.
    func writeChunk(to out: inout WriteBuffer, fileOffset: Int64, pageRows: Int, compressor: ParquetCompressor, scratch: inout WriteBuffer, compressed: inout WriteBuffer) -> ParquetChunkMetadata {
        state.writeChunk(to: &out, fileOffset: fileOffset, pageRows: pageRows, compressor: compressor, scratch: &scratch, compressed: &compressed, descriptor: descriptor)
    }
}

extension ParquetColumnState {
    /// Writes the buffered chunk to `out` (the file's bytes from `fileOffset` on): the dictionary
    /// page if any, then data pages of at most `pageRows` rows each. Resets the column.
    mutating func writeChunk(to out: inout WriteBuffer, fileOffset: Int64, pageRows: Int, compressor: ParquetCompressor, scratch: inout WriteBuffer, compressed: inout WriteBuffer, descriptor: ParquetColumnDescriptor) -> ParquetChunkMetadata {
        let start = out.count
        var uncompressedTotal: Int64 = 0
        var dictionaryOffset: Int64?
        let useDictionary = dictionaryEnabled && dictionary.count > 0
        let minMax = useDictionary ? dictionaryStatistics().encoded(physical) : statistics.encoded(physical)

        if useDictionary {
            dictionaryOffset = fileOffset + Int64(out.count - start)
            compressed.removeAll()
            dictionary.entries.withBytes { compressor.compress($0, into: &compressed) }
            let header = ThriftCompactWriter.encode { page in
                page.i32(1, 2)  // DICTIONARY_PAGE
                page.i32(2, Int32(dictionary.entries.count))
                page.i32(3, Int32(compressed.count))
                page.structure(7) { dictionaryHeader in
                    dictionaryHeader.i32(1, Int32(dictionary.count))
                    dictionaryHeader.i32(2, ParquetEncoding.plain)
                }
            }
            out.append(header)
            compressed.withBytes { out.append($0) }
            uncompressedTotal += Int64(header.count + dictionary.entries.count)
        }

        let dataPageOffset = fileOffset + Int64(out.count - start)
        let rows = rowCount
        var row = 0
        var valueCursor = 0
        let definitionWidth = RLEHybridEncoder.bitWidth(UInt32(maxDefinition))
        let repetitionWidth = RLEHybridEncoder.bitWidth(UInt32(maxRepetition))
        let indexWidth = max(1, RLEHybridEncoder.bitWidth(UInt32(max(dictionary.count, 1) - 1)))
        repeat {
            let rowEnd = min(rows, row + pageRows)
            let levelStart = maxRepetition > 0 ? (row < rows ? rowLevelStarts[row] : levelCount) : row
            let levelEnd = maxRepetition > 0 ? (rowEnd < rows ? rowLevelStarts[rowEnd] : levelCount) : rowEnd
            var values = levelEnd - levelStart
            if maxDefinition > 0 {
                values = 0
                let levels = definitions.buffer(levelStart..<levelEnd)
                for level in levels where level == maxDefinition { values += 1 }
            }
            let valueRange = valueCursor..<valueCursor + values
            valueCursor += values

            scratch.removeAll()
            if maxRepetition > 0 { Self.writeLevels(repetitions.buffer(levelStart..<levelEnd), width: repetitionWidth, into: &scratch) }
            if maxDefinition > 0 { Self.writeLevels(definitions.buffer(levelStart..<levelEnd), width: definitionWidth, into: &scratch) }
            if useDictionary {
                scratch.appendLittleEndian(UInt8(indexWidth))
                RLEHybridEncoder.encode(indices.buffer(valueRange), bitWidth: indexWidth, into: &scratch)
            } else {
                writePlainValues(valueRange, into: &scratch)
            }

            // Uncompressed pages go out as they are; others through the codec.
            let raw = compressor.compression == .none
            compressed.removeAll()
            if !raw { scratch.withBytes { compressor.compress($0, into: &compressed) } }
            let storedCount = raw ? scratch.count : compressed.count
            let header = ThriftCompactWriter.encode { page in
                page.i32(1, 0)  // DATA_PAGE
                page.i32(2, Int32(scratch.count))
                page.i32(3, Int32(storedCount))
                page.structure(5) { dataHeader in
                    dataHeader.i32(1, Int32(levelEnd - levelStart))
                    dataHeader.i32(2, useDictionary ? ParquetEncoding.rleDictionary : ParquetEncoding.plain)
                    dataHeader.i32(3, ParquetEncoding.rle)
                    dataHeader.i32(4, ParquetEncoding.rle)
                }
            }
            out.append(header)
            if raw { scratch.withBytes { out.append($0) } } else { compressed.withBytes { out.append($0) } }
            uncompressedTotal += Int64(header.count + scratch.count)
            row = rowEnd
        } while row < rows

        var encodings = [ParquetEncoding.plain, ParquetEncoding.rle]
        if useDictionary { encodings.append(ParquetEncoding.rleDictionary) }
        let metadata = ParquetChunkMetadata(
            descriptor: descriptor, encodings: encodings, codec: compressor.compression.codec,
            valueCount: Int64(levelCount), uncompressedBytes: uncompressedTotal,
            compressedBytes: Int64(out.count - start), dataPageOffset: dataPageOffset,
            dictionaryPageOffset: dictionaryOffset, nullCount: Int64(nullCount), minMax: minMax
        )
        reset()
        return metadata
    }

    /// Levels of a v1 data page: a 4-byte length, then the RLE / bit-packed hybrid.
    private static func writeLevels(_ levels: UnsafeBufferPointer<UInt8>, width: Int, into out: inout WriteBuffer) {
        let lengthAt = out.count
        out.appendLittleEndian(UInt32(0))
        RLEHybridEncoder.encode(levels, bitWidth: width, into: &out)
        out.patchLength(at: lengthAt)
    }

    private func writePlainValues(_ range: Range<Int>, into out: inout WriteBuffer) {
        switch physical {
        case .boolean:
            var byte: UInt8 = 0
            var bit = 0
            out.reserve(range.count / 8 + 1)
            for i in range {
                if booleans[i] { byte |= 1 << bit }
                bit += 1
                if bit == 8 {
                    out.appendLittleEndian(byte)
                    byte = 0
                    bit = 0
                }
            }
            if bit > 0 { out.appendLittleEndian(byte) }
        case .byteArray:
            guard !range.isEmpty else { return }
            let from = plainStarts[range.lowerBound]
            let to = range.upperBound < plainStarts.count ? plainStarts[range.upperBound] : plain.count
            plain.withBytes(from..<to) { out.append($0) }
        case .int32, .int64, .double:
            let width = physical.width
            plain.withBytes(range.lowerBound * width..<range.upperBound * width) { out.append($0) }
        }
    }
}
