/// A growable array of plain values over raw memory, for hot loops (the Parquet writer, Zeek): no
/// uniqueness or exclusivity checks per append (it is non-copyable and has one owner).
struct RawVector<Element: BitwiseCopyable>: ~Copyable {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private(set) var capacity: Int

    init(capacity: Int = 1024) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    @inline(__always)
    mutating func append(_ value: Element) {
        if count == capacity { grow(to: count + 1) }
        base[count] = value
        count += 1
    }

    @inline(never)
    private mutating func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    @inline(__always)
    subscript(index: Int) -> Element {
        base[index]
    }

    mutating func removeAll() { count = 0 }

    /// Elements `range` as a buffer (valid until the next append).
    func buffer(_ range: Range<Int>) -> UnsafeBufferPointer<Element> {
        precondition(range.upperBound <= count)
        return UnsafeBufferPointer(start: base + range.lowerBound, count: range.count)
    }
}
