/// A string ``JSONByteScanner`` scanned: the bytes between its quotes, `start..<end`, still
/// escaped.
public struct JSONStringToken: Sendable {
    /// The first byte after the opening quote.
    public var start: Int
    /// The closing quote.
    public var end: Int
    /// Length of the contents once escapes are decoded, in UTF-8 bytes.
    public var decodedCount: Int

    @inlinable
    public init(start: Int, end: Int, decodedCount: Int) {
        self.start = start
        self.end = end
        self.decodedCount = decodedCount
    }

    /// Every escape is longer than what it decodes to, so a shorter decoded length means escapes.
    @inlinable @inline(__always)
    public var hasEscapes: Bool { decodedCount != end - start }
}
