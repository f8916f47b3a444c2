/// A growable byte buffer that owns its memory. Encoders write into it through raw pointers
/// (``reserve(_:)`` then ``withWriter(_:)``), so appending a record costs no allocation once the
/// buffer has grown to its working size.
public struct WriteBuffer: ~Copyable {
    @usableFromInline var storage: UnsafeMutablePointer<UInt8>
    @usableFromInline var used: Int
    @usableFromInline var allocated: Int

    /// The first byte.
    @inlinable public var base: UnsafeMutablePointer<UInt8> { storage }
    /// Bytes written.
    @inlinable public var count: Int { used }
    /// Bytes allocated.
    @inlinable public var capacity: Int { allocated }

    public init(capacity: Int = 64 * 1024) {
        allocated = max(capacity, 64)
        storage = .allocate(capacity: allocated)
        used = 0
    }

    deinit { storage.deallocate() }

    /// Makes room for at least `extra` more bytes.
    @inlinable @inline(__always)
    public mutating func reserve(_ extra: Int) {
        if used + extra > allocated { grow(to: used + extra) }
    }

    @usableFromInline @inline(never)
    mutating func grow(to needed: Int) {
        var newCapacity = allocated * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: storage, count: used)
        storage.deallocate()
        storage = newBase
        allocated = newCapacity
    }

    /// Hands a write pointer at the end of the data to `body`, which returns the pointer past the
    /// last byte it wrote. The caller must have reserved enough room.
    @inlinable @inline(__always)
    public mutating func withWriter(_ body: (UnsafeMutablePointer<UInt8>) throws -> UnsafeMutablePointer<UInt8>) rethrows {
        let end = try body(storage + used)
        used = end - storage
        assert(used <= allocated)
    }

    @inlinable
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        reserve(bytes.count)
        if let source = bytes.baseAddress {
            (storage + used).update(from: source.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        }
        used += bytes.count
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
        precondition(length <= used)
        used = length
    }

    public mutating func removeAll() { used = 0 }

    /// The bytes in `range`, read in place.
    @inlinable
    public func withBytes<R>(_ range: Range<Int>? = nil, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let range = range ?? 0..<used
        precondition(range.upperBound <= used)
        return try body(UnsafeRawBufferPointer(start: storage + range.lowerBound, count: range.count))
    }

    /// A copy of the bytes (for tests and small payloads).
    public var bytes: [UInt8] { Array(UnsafeBufferPointer(start: storage, count: used)) }
}
