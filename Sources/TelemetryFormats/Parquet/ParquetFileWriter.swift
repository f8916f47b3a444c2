import Dispatch
import Synchronization
import TelemetryModel

/// Writes one Parquet file: `PAR1`, row groups of column chunks, then the footer (Thrift
/// compact `FileMetaData`, its length, `PAR1`). It does no I/O: every call appends the file's
/// next bytes to the caller's buffer, which the caller writes out.
///
/// Use: append each row's values to ``columns`` (one level per leaf column per row at least),
/// call ``endRows(_:into:)`` after a batch of rows, then ``finish(into:)``. Column chunks of a
/// row group are encoded and compressed in parallel (``ParquetWriterOptions/parallelism``) and
/// written in schema order, so the bytes do not depend on the parallelism.
///
/// Used by one thread at a time; it fans work out to other threads itself.
///
/// Sendable: confined. `fileOffset`, `totalRows`, `openRows`, `rowGroups` and `started` change only on the
/// calling thread (its encoder's owner); each fan-out iteration touches one column and output, takes a lane
/// under the `lanes` Mutex, and ends before the writer reads the results.
public final class ParquetFileWriter: @unchecked Sendable {
    public let schema: ParquetSchema
    public let options: ParquetWriterOptions
    public let columns: [ParquetColumnWriter]
    /// Bytes handed out so far (the offset of the next byte in the file).
    public private(set) var fileOffset: Int64 = 0
    public private(set) var totalRows: Int64 = 0
    /// Rows in the open row group.
    public private(set) var openRows = 0
    private var rowGroups: [(rows: Int, chunks: [ParquetChunkMetadata])] = []
    /// Per-thread codec state and buffers for encoding chunks, reused.
    private let lanes = Mutex<[ChunkLane]>([])
    /// Each column's encoded chunk of the row group being written.
    private let chunkBytes: [ChunkLane.Output]
    private var started = false
    public static let createdBy = "netchaos parquet writer"

    public init(schema: ParquetSchema, options: ParquetWriterOptions) {
        self.schema = schema
        self.options = options
        columns = schema.columns.map(ParquetColumnWriter.init)
        chunkBytes = schema.columns.map { _ in ChunkLane.Output() }
    }

    /// Number of row groups written so far.
    public var rowGroupCount: Int { rowGroups.count }

    /// Appends the magic number (once, before the first row group).
    public func start(into out: inout WriteBuffer) {
        guard !started else { return }
        started = true
        out.append(Array("PAR1".utf8))
        fileOffset = 4
    }

    /// Counts `count` rows appended to the columns; writes the row group once it is full.
    public func endRows(_ count: Int, into out: inout WriteBuffer) {
        openRows += count
        totalRows += Int64(count)
        if openRows >= options.rowGroupRows || bufferedBytes >= options.rowGroupBytes {
            flushRowGroup(into: &out)
        }
    }

    /// Bytes the open row group holds, roughly.
    public var bufferedBytes: Int { columns.reduce(0) { $0 + $1.bufferedBytes } }

    /// Writes the open row group, if it has rows.
    public func flushRowGroup(into out: inout WriteBuffer) {
        start(into: &out)
        guard openRows > 0 else { return }
        for column in columns {
            precondition(column.rowCount == openRows, "column \(column.descriptor.path.joined(separator: ".")) has \(column.rowCount) rows, expected \(openRows)")
        }
        // Encode every chunk (offsets relative to the chunk), in parallel when allowed...
        nonisolated(unsafe) let results = UnsafeMutableBufferPointer<ParquetChunkMetadata>.allocate(capacity: columns.count)
        defer {
            results.deinitialize()
            results.deallocate()
        }
        let encode: @Sendable (Int) -> Void = { index in
            let lane = self.lanes.withLock { $0.popLast() } ?? ChunkLane(self.options)
            let output = self.chunkBytes[index]
            output.bytes.removeAll()
            (results.baseAddress! + index).initialize(to: self.columns[index].writeChunk(
                to: &output.bytes, fileOffset: 0, pageRows: self.options.pageRows, compressor: lane.compressor,
                scratch: &lane.scratch, compressed: &lane.compressed
            ))
            self.lanes.withLock { $0.append(lane) }
        }
        if options.parallelism > 1 {
            DispatchQueue.concurrentPerform(iterations: columns.count, execute: encode)
        } else {
            for index in columns.indices { encode(index) }
        }
        // ...then lay them out in schema order.
        var chunks: [ParquetChunkMetadata] = []
        chunks.reserveCapacity(columns.count)
        for index in columns.indices {
            var metadata = results[index]
            metadata.dataPageOffset += fileOffset
            metadata.dictionaryPageOffset = metadata.dictionaryPageOffset.map { $0 + fileOffset }
            chunkBytes[index].bytes.withBytes { out.append($0) }
            fileOffset += Int64(chunkBytes[index].bytes.count)
            chunks.append(metadata)
        }
        rowGroups.append((openRows, chunks))
        openRows = 0
    }

    /// Runs `body` for every column index, on several threads when the options allow; each
    /// column is touched by one thread only. For callers that append column by column.
    public func forEachColumn(_ body: (Int) -> Void) {
        if options.parallelism > 1 {
            withoutActuallyEscaping(body) { body in
                nonisolated(unsafe) let body = body
                DispatchQueue.concurrentPerform(iterations: columns.count) { body($0) }
            }
        } else {
            for index in columns.indices { body(index) }
        }
    }

    /// Appends `count` records column by column, in batches that end where a row group fills:
    /// `encode(column, batch)` appends the batch's values to column `column` (columns run in
    /// parallel, see ``forEachColumn(_:)``). Full row groups are written to `out`.
    public func append<Record>(
        _ records: UnsafePointer<Record>, count: Int, into out: inout WriteBuffer, encode: (Int, UnsafeBufferPointer<Record>) -> Void
    ) {
        start(into: &out)
        var done = 0
        while done < count {
            let n = min(count - done, options.rowGroupRows - openRows)
            nonisolated(unsafe) let batch = UnsafeBufferPointer(start: records + done, count: n)
            forEachColumn { encode($0, batch) }
            endRows(n, into: &out)
            done += n
        }
    }

    /// Writes the last row group and the footer.
    public func finish(into out: inout WriteBuffer) {
        flushRowGroup(into: &out)
        let footer = ThriftCompactWriter.encode { file in
            file.i32(1, 2)
            schema.writeElements(&file, field: 2)
            file.i64(3, totalRows)
            file.list(4, of: rowGroups) { group, rowGroup in
                group.list(1, of: rowGroup.chunks) { chunk, metadata in
                    chunk.i64(2, metadata.dataPageOffset)
                    chunk.structure(3) { Self.writeColumnMetadata(metadata, &$0) }
                }
                group.i64(2, rowGroup.chunks.reduce(0) { $0 + $1.uncompressedBytes })
                group.i64(3, Int64(rowGroup.rows))
                let first = rowGroup.chunks.first.map { $0.dictionaryPageOffset ?? $0.dataPageOffset } ?? 0
                group.i64(5, first)
                group.i64(6, rowGroup.chunks.reduce(0) { $0 + $1.compressedBytes })
            }
            if !options.metadata.isEmpty {
                file.list(5, of: options.metadata) { pair, entry in
                    pair.string(1, entry.key)
                    pair.string(2, entry.value)
                }
            }
            file.string(6, Self.createdBy)
            // TYPE_ORDER for every column: min_value / max_value follow the column's sort order.
            file.list(7, of: schema.columns) { order, _ in order.empty(1) }
        }
        out.append(footer)
        out.appendLittleEndian(UInt32(footer.count))
        out.append(Array("PAR1".utf8))
        fileOffset += Int64(footer.count + 8)
    }

    private static func writeColumnMetadata(_ metadata: ParquetChunkMetadata, _ column: inout ThriftCompactWriter) {
        column.i32(1, metadata.descriptor.physicalType.rawValue)
        column.list(2, i32: metadata.encodings)
        column.list(3, strings: metadata.descriptor.path)
        column.i32(4, metadata.codec)
        column.i64(5, metadata.valueCount)
        column.i64(6, metadata.uncompressedBytes)
        column.i64(7, metadata.compressedBytes)
        column.i64(9, metadata.dataPageOffset)
        if let dictionary = metadata.dictionaryPageOffset { column.i64(11, dictionary) }
        column.structure(12) { statistics in
            statistics.i64(3, metadata.nullCount)
            if let (min, max) = metadata.minMax {
                statistics.binary(5, max)
                statistics.binary(6, min)
            }
        }
    }
}
