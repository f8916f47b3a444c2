import TelemetryModel

/// The connections that ended with each record of a run of records (one step of the simulation,
/// in report order): filled by ``ZeekConnectionFold``, written record by record by
/// ``ZeekConnLog``, so that the lines can be written apart from the fold, in parallel.
///
/// Storage of its own (not arrays): the lines of every record are written from it, and an array
/// in a class is retained and released around each of those reads.
///
/// Used by one thread at a time.
public final class ZeekEndings {
    private(set) var connections: UnsafeMutablePointer<ZeekConnection>
    private var capacity = 1_024
    private var count = 0
    /// For each record: the end of its connections in `connections`.
    private var ends: UnsafeMutablePointer<Int32>
    private var endsCapacity = 1_024
    /// Records so far.
    public private(set) var records = 0

    public init() {
        connections = .allocate(capacity: capacity)
        ends = .allocate(capacity: endsCapacity)
    }

    deinit {
        connections.deinitialize(count: count)
        connections.deallocate()
        ends.deallocate()
    }

    /// Empties it for the next run of records.
    public func removeAll() {
        connections.deinitialize(count: count)
        count = 0
        records = 0
    }

    func append(_ connection: ZeekConnection) {
        if count == capacity {
            let larger = UnsafeMutablePointer<ZeekConnection>.allocate(capacity: capacity * 2)
            larger.moveInitialize(from: connections, count: count)
            connections.deallocate()
            connections = larger
            capacity *= 2
        }
        (connections + count).initialize(to: connection)
        count += 1
    }

    func endRecord() {
        if records == endsCapacity {
            let larger = UnsafeMutablePointer<Int32>.allocate(capacity: endsCapacity * 2)
            larger.moveInitialize(from: ends, count: records)
            ends.deallocate()
            ends = larger
            endsCapacity *= 2
        }
        ends[records] = Int32(count)
        records += 1
    }

    /// The connections that ended with record `record`.
    @inline(__always)
    func ended(at record: Int) -> Range<Int> { (record == 0 ? 0 : Int(ends[record - 1]))..<Int(ends[record]) }
}
