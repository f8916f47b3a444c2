import CPrefetch

/// Where each open connection sits in ``ZeekConnLog``'s list: a hash table from session id to a
/// place, with open addressing and linear probing, kept at most half full. A session id is hashed
/// by one multiplication (ids are already spread) and an entry (id and place) is 16 bytes, so a
/// lookup touches one cache line, which ``prefetch(_:)`` can start loading records ahead: Swift's
/// `Dictionary` cost the conn.log writer half its time, mostly waiting for memory.
///
/// Used by one thread.
final class ZeekSessionIndex {
    struct Entry {
        var key: Int64
        /// -1: empty.
        var place: Int32
    }

    private var entries: UnsafeMutablePointer<Entry>
    private var capacity: Int
    private var shift: UInt64
    private(set) var count = 0

    init() {
        capacity = 1_024
        shift = 64 - 10
        entries = .allocate(capacity: capacity)
        entries.initialize(repeating: Entry(key: 0, place: -1), count: capacity)
    }

    deinit { entries.deallocate() }

    @inline(__always)
    private func home(_ key: Int64) -> Int { Int(truncatingIfNeeded: (UInt64(bitPattern: key) &* 0x9E37_79B9_7F4A_7C15) >> shift) }

    /// Starts loading the entry `key` would be found at.
    @inline(__always)
    func prefetch(_ key: Int64) { netchaos_prefetch(entries + home(key)) }

    /// The position of `key`'s entry, or nil.
    @inline(__always)
    func find(_ key: Int64) -> Int? {
        let mask = capacity - 1
        var i = home(key)
        while entries[i].place >= 0 {
            if entries[i].key == key { return i }
            i = (i + 1) & mask
        }
        return nil
    }

    /// The place at `position` (from ``find(_:)``).
    @inline(__always)
    func place(at position: Int) -> Int32 { entries[position].place }

    /// Adds `key` (not present) with its place.
    func insert(_ key: Int64, place: Int32) {
        if (count + 1) * 2 > capacity { grow() }
        let mask = capacity - 1
        var i = home(key)
        while entries[i].place >= 0 { i = (i + 1) & mask }
        entries[i] = Entry(key: key, place: place)
        count += 1
    }

    /// Removes the entry at `position`, moving back the entries after it that probed past it.
    func remove(at position: Int) {
        let mask = capacity - 1
        var hole = position
        var i = (position + 1) & mask
        while entries[i].place >= 0 {
            let want = home(entries[i].key)
            // The entry at i may fill the hole if its home is not in (hole, i] (cyclically).
            if (i - want) & mask >= (i - hole) & mask {
                entries[hole] = entries[i]
                hole = i
            }
            i = (i + 1) & mask
        }
        entries[hole].place = -1
        count -= 1
    }

    private func grow() {
        let old = entries
        let oldCapacity = capacity
        capacity *= 2
        shift -= 1
        entries = .allocate(capacity: capacity)
        entries.initialize(repeating: Entry(key: 0, place: -1), count: capacity)
        count = 0
        for i in 0..<oldCapacity where old[i].place >= 0 { insert(old[i].key, place: old[i].place) }
        old.deallocate()
    }
}
