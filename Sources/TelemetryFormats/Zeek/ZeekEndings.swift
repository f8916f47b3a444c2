import TelemetryModel

/// The connections that ended with each record of a run of records (one step of the simulation,
/// in report order): filled by ``ZeekConnectionFold``, written record by record by
/// ``ZeekConnLog``, so that the lines can be written apart from the fold, in parallel.
///
/// Raw vectors, not arrays: the lines of every record are read from here, and an array in a
/// class is retained and released around each of those reads.
///
/// Used by one thread at a time.
public final class ZeekEndings {
    private(set) var connections = RawVector<ZeekConnection>()
    /// For each record: the end of its connections in `connections`.
    private var ends = RawVector<Int32>()

    public init() {}

    /// Empties it for the next run of records.
    public func removeAll() {
        connections.removeAll()
        ends.removeAll()
    }

    /// Records so far.
    public var records: Int { ends.count }

    func append(_ connection: ZeekConnection) { connections.append(connection) }

    func endRecord() { ends.append(Int32(connections.count)) }

    /// The connections that ended with record `record`.
    @inline(__always)
    func ended(at record: Int) -> Range<Int> { (record == 0 ? 0 : Int(ends[record - 1]))..<Int(ends[record]) }
}
