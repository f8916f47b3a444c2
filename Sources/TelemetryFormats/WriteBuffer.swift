/// A growable byte buffer that owns its memory. Encoders write into it through raw pointers
/// (``reserve(_:)`` then ``withWriter(_:)``), so appending a record costs no allocation once the
/// buffer has grown to its working size.
public struct WriteBuffer: ~Copyable {
    public private(set) var base: UnsafeMutablePointer<UInt8>
    public private(set) var count: Int
    public private(set) var capacity: Int

    public init(capacity: Int = 64 * 1024) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
        count = 0
    }

    deinit { base.deallocate() }

    /// Makes room for at least `extra` more bytes.
    @inline(__always)
    public mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(to: count + extra) }
    }

    @inline(never)
    mutating func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    /// Hands a write pointer at the end of the data to `body`, which returns the pointer past the
    /// last byte it wrote. The caller must have reserved enough room.
    @inline(__always)
    public mutating func withWriter(_ body: (UnsafeMutablePointer<UInt8>) throws -> UnsafeMutablePointer<UInt8>) rethrows {
        let end = try body(base + count)
        count = end - base
        assert(count <= capacity)
    }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        reserve(bytes.count)
        if let source = bytes.baseAddress {
            (base + count).update(from: source.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        }
        count += bytes.count
    }

    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    public mutating func append(_ text: String) {
        var copy = text
        copy.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    /// Drops everything after the first `length` bytes.
    public mutating func truncate(to length: Int) {
        precondition(length <= count)
        count = length
    }

    public mutating func removeAll() { count = 0 }

    /// The bytes in `range`, read in place.
    public func withBytes<R>(_ range: Range<Int>? = nil, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let range = range ?? 0..<count
        precondition(range.upperBound <= count)
        return try body(UnsafeRawBufferPointer(start: base + range.lowerBound, count: range.count))
    }

    /// A copy of the bytes (for tests and small payloads).
    public var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }
}
