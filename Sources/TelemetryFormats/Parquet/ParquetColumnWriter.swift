/// One leaf column of a file being written: its descriptor and its buffered chunk. Append in
/// bulk through ``batch(_:)`` (one access for a whole loop); the single-value methods are for
/// convenience. Used by one thread at a time.
///
/// Sendable: confined. `state` is touched by the thread driving its ParquetFileWriter, or in the writer's
/// `concurrentPerform` fan-outs by the one iteration for this column, which ends before the writer goes on.
public final class ParquetColumnWriter: @unchecked Sendable {
    public let descriptor: ParquetColumnDescriptor
    var state: ParquetColumnState

    init(_ descriptor: ParquetColumnDescriptor) {
        self.descriptor = descriptor
        state = ParquetColumnState(descriptor)
    }

    /// Runs `body` with the column's buffers for a loop of appends.
    @inline(__always)
    public func batch<E: Error>(_ body: (inout ParquetColumnState) throws(E) -> Void) throws(E) {
        try body(&state)
    }

    var rowCount: Int { state.rowCount }
    var bufferedBytes: Int { state.bufferedBytes }

    public func appendNull(definition: UInt8 = 0, repetition: UInt8 = 0) {
        state.appendNull(definition: definition, repetition: repetition)
    }

    public func append(_ value: Int64, repetition: UInt8 = 0) { state.append(value, repetition: repetition) }
    public func append(_ value: Int32, repetition: UInt8 = 0) { state.append(value, repetition: repetition) }
    public func append(_ value: Double, repetition: UInt8 = 0) { state.append(value, repetition: repetition) }
    public func append(_ value: Bool, repetition: UInt8 = 0) { state.append(value, repetition: repetition) }
    public func append(_ string: String, repetition: UInt8 = 0) { state.append(string, repetition: repetition) }
}
