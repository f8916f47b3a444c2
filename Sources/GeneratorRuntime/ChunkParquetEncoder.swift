import TelemetryFormats
import TelemetryModel

/// Writes a chunk's records into a Parquet file being built, whatever the dataset.
protocol ChunkParquetEncoder: AnyObject {
    var writer: ParquetFileWriter { get }
    /// Appends records `range` of `chunk`; full row groups go to `out`.
    func append(_ chunk: FlowChunk, _ range: Range<Int>, into out: inout WriteBuffer)
    /// The last row group and the footer.
    func finish(into out: inout WriteBuffer)
}

extension FlowParquetEncoder: ChunkParquetEncoder {
    func append(_ chunk: FlowChunk, _ range: Range<Int>, into out: inout WriteBuffer) {
        append(chunk.events + range.lowerBound, count: range.count, into: &out)
    }
}

extension SwitchParquetEncoder: ChunkParquetEncoder {
    func append(_ chunk: FlowChunk, _ range: Range<Int>, into out: inout WriteBuffer) {
        append(chunk.switches + range.lowerBound, count: range.count, into: &out)
    }
}

extension TransactionParquetEncoder: ChunkParquetEncoder {
    func append(_ chunk: FlowChunk, _ range: Range<Int>, into out: inout WriteBuffer) {
        append(chunk.transactions + range.lowerBound, count: range.count, into: &out)
    }
}
