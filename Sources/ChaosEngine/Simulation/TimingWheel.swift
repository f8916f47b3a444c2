/// Pending records of running sessions, by the time they are due: a ring of buckets covering a
/// horizon, and an overflow list for the rare entries due later (slow scans). Entries hold just
/// what redraws the session (process, number, start) and which record is next.
struct TimingWheel {
    struct Entry {
        var emitMs: Int64
        /// Process in the top 8 bits, session number below.
        var reference: UInt64
        /// Milliseconds from the session's start to `emitMs`.
        var startDelta: UInt32
        var record: UInt32

        @inline(__always) var process: Int { Int(reference >> 56) }
        @inline(__always) var counter: UInt64 { reference & 0x00FF_FFFF_FFFF_FFFF }
        @inline(__always) var startMs: Int64 { emitMs - Int64(startDelta) }
    }

    private var buckets: [[Entry]]
    private var overflow: [Entry] = []
    private var overflowMin = Int64.max
    let bucketMs: Int64
    /// Every entry due before this time has been handed out.
    private(set) var doneBefore: Int64
    private(set) var count = 0

    init(start: Int64, bucketMs: Int64, buckets: Int) {
        self.bucketMs = bucketMs
        self.buckets = Array(repeating: [], count: buckets)
        doneBefore = start
    }

    @inline(__always)
    private func bucketIndex(_ ms: Int64) -> Int {
        let b = (ms >= 0 ? ms / bucketMs : (ms - bucketMs + 1) / bucketMs) % Int64(buckets.count)
        return Int(b < 0 ? b + Int64(buckets.count) : b)
    }

    /// The last time the ring holds without going round.
    @inline(__always)
    private var horizon: Int64 {
        let first = doneBefore >= 0 ? doneBefore / bucketMs : (doneBefore - bucketMs + 1) / bucketMs
        return (first + Int64(buckets.count) - 1) * bucketMs
    }

    mutating func insert(_ entry: Entry) {
        precondition(entry.emitMs >= doneBefore, "an entry due before what was handed out")
        count += 1
        if entry.emitMs >= horizon {
            overflow.append(entry)
            overflowMin = min(overflowMin, entry.emitMs)
        } else {
            buckets[bucketIndex(entry.emitMs)].append(entry)
        }
    }

    /// Hands out every entry due before `end` (in no particular order) and removes it.
    mutating func popDue(before end: Int64, _ body: (Entry) -> Void) {
        guard end > doneBefore else { return }
        // Entries of the overflow that the ring now reaches move into it first.
        if overflowMin < horizon {
            let reach = horizon
            let moving = overflow.filter { $0.emitMs < reach }
            overflow.removeAll { $0.emitMs < reach }
            overflowMin = overflow.map(\.emitMs).min() ?? .max
            for entry in moving { buckets[bucketIndex(entry.emitMs)].append(entry) }
        }
        var time = doneBefore
        while time < end {
            let index = bucketIndex(time)
            let bucketEnd = (time >= 0 ? time / bucketMs : (time - bucketMs + 1) / bucketMs) * bucketMs + bucketMs
            if bucketEnd <= end {
                // The whole bucket is due: hand it out, keeping its storage for later.
                var due = buckets[index]
                buckets[index].removeAll(keepingCapacity: true)
                count -= due.count
                for entry in due { body(entry) }
                due.removeAll()
            } else if !buckets[index].isEmpty {
                var kept = 0
                var due: [Entry] = []
                for entry in buckets[index] {
                    if entry.emitMs < end { due.append(entry) } else {
                        buckets[index][kept] = entry
                        kept += 1
                    }
                }
                buckets[index].removeLast(buckets[index].count - kept)
                count -= due.count
                for entry in due { body(entry) }
            }
            time = bucketEnd
        }
        doneBefore = end
    }
}
