import TelemetryModel

/// The dictionary of one column chunk: distinct values in first-seen order, held PLAIN-encoded
/// (they become the dictionary page as they are), found by a 64-bit key through an
/// open-addressing table. Keys are the value itself for numbers, and the caller's key or a
/// hash of the bytes for byte arrays (a hash collision makes the column fall back to PLAIN).
struct ParquetDictionary: ~Copyable {
    /// PLAIN encoding of the entries, in index order.
    private(set) var entries = WriteBuffer(capacity: 4096)
    /// Where each byte-array entry starts in `entries` (its 4-byte length first).
    private(set) var entryStarts: [Int] = []
    private(set) var count = 0
    private var keys: [UInt64]
    private var slots: [UInt32]
    private var mask: Int
    private static let empty = UInt32.max

    init() {
        keys = Array(repeating: 0, count: 256)
        slots = Array(repeating: Self.empty, count: 256)
        mask = 255
    }

    /// Forgets every entry (a new column chunk starts).
    mutating func removeAll() {
        entries.removeAll()
        entryStarts.removeAll(keepingCapacity: true)
        count = 0
        for i in slots.indices { slots[i] = Self.empty }
    }

    /// The index of `key`, or nil when it is not in the dictionary.
    @inline(__always)
    func find(_ key: UInt64) -> (index: UInt32?, slot: Int) {
        var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
        while true {
            let index = slots[slot]
            if index == Self.empty { return (nil, slot) }
            if keys[slot] == key { return (index, slot) }
            slot = (slot + 1) & mask
        }
    }

    /// Adds an entry under `key` at `slot` (from a failed ``find(_:)``); `write` appends its
    /// PLAIN encoding to the entries.
    @inline(__always)
    mutating func insert(_ key: UInt64, slot: Int, isByteArray: Bool, write: (inout WriteBuffer) -> Void) -> UInt32 {
        let index = UInt32(count)
        if isByteArray { entryStarts.append(entries.count) }
        write(&entries)
        keys[slot] = key
        slots[slot] = index
        count += 1
        if count * 2 > slots.count { grow() }
        return index
    }

    private mutating func grow() {
        let oldKeys = keys
        let oldSlots = slots
        let capacity = slots.count * 2
        keys = Array(repeating: 0, count: capacity)
        slots = Array(repeating: Self.empty, count: capacity)
        mask = capacity - 1
        for i in oldSlots.indices where oldSlots[i] != Self.empty {
            let (_, slot) = find(oldKeys[i])
            keys[slot] = oldKeys[i]
            slots[slot] = oldSlots[i]
        }
    }

    /// The bytes of byte-array entry `index` (without the length).
    func entryBytes(_ index: Int) -> UnsafeRawBufferPointer {
        let start = entryStarts[index] + 4
        let end = index + 1 < entryStarts.count ? entryStarts[index + 1] : entries.count
        return UnsafeRawBufferPointer(start: entries.base + start, count: end - start)
    }
}
