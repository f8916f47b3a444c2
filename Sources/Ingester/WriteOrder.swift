/// Which keys were written longest ago, for forgetting the oldest beyond a bound at a constant
/// cost per write (amortized): every write appends (key, sequence) to a queue, a key's live entry
/// is its newest, and taking the oldest pops from the front, skipping entries that a later write of
/// the same key superseded. The queue is compacted when dead entries outnumber live ones, so it
/// stays within about twice the keys.
struct WriteOrder<Key: Hashable & Sendable>: Sendable {
    private var newest: [Key: UInt64] = [:]
    private var queue: [(key: Key, sequence: UInt64)] = []
    private var head = 0
    private var sequence: UInt64 = 0

    /// Keys written and not taken.
    var count: Int { newest.count }

    /// `key` was written now (after every key written before).
    mutating func written(_ key: Key) {
        sequence &+= 1
        newest[key] = sequence
        queue.append((key, sequence))
        if queue.count > 2 * newest.count + 1_024 { compact() }
    }

    /// Takes the key written longest ago (nil when none is left).
    mutating func takeOldest() -> Key? {
        while head < queue.count {
            let entry = queue[head]
            head += 1
            if newest[entry.key] == entry.sequence {
                newest[entry.key] = nil
                return entry.key
            }
        }
        return nil
    }

    private mutating func compact() {
        queue = queue[head...].filter { newest[$0.key] == $0.sequence }
        head = 0
    }
}
