import CPrefetch
import TelemetryModel

/// The connections of Zeek's conn.log as the flow records fold into them, in report order: a
/// session's records make one connection, which ends with its record that carries a FIN or a RST,
/// or when it has been quiet for `inactivityMs` of event time (Zeek's inactivity timeouts); the
/// ended connections are handed to a ``ZeekEndings`` by record, for ``ZeekConnLog`` to write.
///
/// The fold may run ahead of what the outputs write (it runs where the records are put in order,
/// and the run can stop at any record): every change after a record is kept, with the record's
/// sequence number, until ``forget(through:)``, so that ``openConnections(asOf:)`` gives the
/// connections open just after any record not yet forgotten.
///
/// Used by one thread at a time.
public final class ZeekConnectionFold {
    private let inactivityMs: Int64
    /// Open connections: a list with free places, and the index from session id to place.
    private var open: [ZeekConnection?] = []
    /// Each place's last packet (`Int64.max` when free).
    private var openEndMs: [Int64] = []
    /// (last packet, place) each time a connection got a record, oldest first, from `expiryHead`
    /// on: a sweep reads from the front while the times are old enough, and an entry whose place
    /// has moved on since (a later record, or another connection) is passed over.
    private var expiry: [(endMs: Int64, place: Int32)] = []
    private var expiryHead = 0
    private var freePlaces: [Int32] = []
    private var index = ZeekSessionIndex()
    /// The latest record's end, and when the last sweep for quiet connections ran (event time).
    private var clockMs: Int64 = 0
    private var sweptMs: Int64 = 0
    /// What each place held before a change, with the sequence number of the record after which
    /// the change was made, oldest first from `undoHead` on.
    private var undo: [(seq: Int64, place: Int32, before: ZeekConnection?)] = []
    private var undoHead = 0

    /// - Parameter inactivityMs: how long a connection may go without a record before it is
    ///   logged as ended (more than the aggregation window, so a long session's next record
    ///   still finds it open).
    public init(inactivityMs: Int64) {
        self.inactivityMs = inactivityMs
    }

    /// Starts loading the index entry of `session` (a record that will be folded soon).
    @inline(__always)
    public func prefetch(session: Int64) { index.prefetch(session) }

    /// Starts loading the open connection of `session` if it has one (its index entry loaded), or
    /// else the free place a new connection would take.
    @inline(__always)
    public func prefetchConnection(session: Int64) {
        let place: Int
        if let position = index.find(session) {
            place = Int(index.place(at: position))
        } else if let free = freePlaces.last {
            place = Int(free)
        } else {
            return
        }
        open.withUnsafeBufferPointer { open in
            let connection = UnsafeRawPointer(open.baseAddress! + place)
            netchaos_prefetch(connection)
            netchaos_prefetch(connection + MemoryLayout<ZeekConnection?>.size - 1)
        }
        openEndMs.withUnsafeBufferPointer { netchaos_prefetch($0.baseAddress! + place) }
    }

    /// Folds `e`, record `seq` of the run (dropped events are not in any connection); adds to
    /// `endings` the connections that ended with it, then marks the record's end there.
    public func add(_ e: FlowEvent, seq: Int64, into endings: ZeekEndings) {
        defer { endings.endRecord() }
        guard !e.dropped else { return }
        clockMs = max(clockMs, e.endMs)
        if let position = index.find(e.sessionID) {
            let place = Int(index.place(at: position))
            undo.append((seq, Int32(place), open[place]))
            open[place]!.add(e)
            openEndMs[place] = open[place]!.endMs
            if open[place]!.isClosed {
                endings.append(open[place]!)
                index.remove(at: position)
                close(place)
            } else {
                expiry.append((openEndMs[place], Int32(place)))
            }
        } else {
            let connection = ZeekConnection(e)
            if connection.isClosed {
                endings.append(connection)
            } else {
                let place: Int32
                if let free = freePlaces.popLast() {
                    place = free
                    open[Int(free)] = connection
                    openEndMs[Int(free)] = connection.endMs
                } else {
                    place = Int32(open.count)
                    open.append(connection)
                    openEndMs.append(connection.endMs)
                }
                undo.append((seq, place, nil))
                index.insert(e.sessionID, place: place)
                expiry.append((connection.endMs, place))
            }
        }
        if clockMs - sweptMs >= 10_000 { sweep(seq: seq, into: endings) }
    }

    private func close(_ place: Int) {
        open[place] = nil
        openEndMs[place] = .max
        freePlaces.append(Int32(place))
    }

    /// Connections quiet for longer than the inactivity timeout, in session order.
    private func sweep(seq: Int64, into endings: ZeekEndings) {
        sweptMs = clockMs
        var expired: [(session: Int64, place: Int)] = []
        let limit = clockMs - inactivityMs
        while expiryHead < expiry.count && expiry[expiryHead].endMs < limit {
            let (endMs, place) = expiry[expiryHead]
            expiryHead += 1
            guard openEndMs[Int(place)] == endMs else { continue }
            openEndMs[Int(place)] = .min  // taken: a second entry of the same time passes over it
            expired.append((open[Int(place)]!.sessionID, Int(place)))
        }
        Self.dropRead(&expiry, head: &expiryHead)
        expired.sort { $0.session < $1.session }
        for (session, place) in expired {
            undo.append((seq, Int32(place), open[place]))
            endings.append(open[place]!)
            if let position = index.find(session) { index.remove(at: position) }
            close(place)
        }
    }

    /// Drops what is kept to go back to records up to `seq` (they are written: the run cannot stop
    /// before them any more).
    public func forget(through seq: Int64) {
        while undoHead < undo.count && undo[undoHead].seq <= seq { undoHead += 1 }
        Self.dropRead(&undo, head: &undoHead)
    }

    /// Removes the entries of a queue read up to `head` once they are most of it (and many).
    private static func dropRead<Entry>(_ queue: inout [Entry], head: inout Int) {
        guard head > 4_096 && head * 2 > queue.count else { return }
        queue.removeFirst(head)
        head = 0
    }

    /// The connections open just after record `seq` (nil: before any record), in session order,
    /// as Zeek logs them when it stops. `seq` is at least the last one forgotten. The fold itself
    /// is not changed.
    func openConnections(asOf seq: Int64?) -> [ZeekConnection] {
        // Going back over the changes after `seq`, newest first, on a copy of the places: each
        // place ends up as it was before the oldest of them.
        var places = open
        var i = undo.count - 1
        while i >= undoHead && seq.map({ undo[i].seq > $0 }) ?? true {
            places[Int(undo[i].place)] = undo[i].before
            i -= 1
        }
        var sessions: [(session: Int64, place: Int32)] = []
        sessions.reserveCapacity(places.count)
        for place in places.indices { if let connection = places[place] { sessions.append((connection.sessionID, Int32(place))) } }
        // Sorted as (session, place) pairs: moving the connections themselves cost more than writing them.
        sessions.sort { $0.session < $1.session }
        return sessions.map { places[Int($0.place)]! }
    }
}
