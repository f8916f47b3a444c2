/// The values of a record ``FlowRecordValidator`` accepted, read from the spans it stored: each
/// value is decoded where it lies, without reading the rest of the record again. Only for records
/// the validator accepted with these spans; anything else gives `nil`s, never a crash.
public struct FlowRecordValues {
    private let record: UnsafeRawBufferPointer
    private let spans: UnsafePointer<FlowSpan>

    /// - Parameters:
    ///   - record: the record's bytes, as validated.
    ///   - spans: the spans the validator stored for it (``FlowRecordField/allCases``.count of them).
    public init(record: UnsafeRawBufferPointer, spans: UnsafePointer<FlowSpan>) {
        self.record = record
        self.spans = spans
    }

    /// A scanner at the field's value, or `nil` when the record does not hold it.
    @inline(__always)
    private func scanner(_ field: FlowRecordField) -> JSONByteScanner? {
        let span = spans[Int(field.rawValue)]
        guard span.end != 0, let base = record.baseAddress, Int(span.end) <= record.count, span.start < span.end else { return nil }
        var s = JSONByteScanner(base: base, count: Int(span.end))
        s.position = Int(span.start)
        return s
    }

    /// Whether the record holds the field (`null` included).
    @inline(__always)
    public func contains(_ field: FlowRecordField) -> Bool { spans[Int(field.rawValue)].isPresent }

    /// An integer field's value; `nil` when absent.
    @inline(__always)
    public func integer(_ field: FlowRecordField) -> Int64? {
        guard var s = scanner(field), let number = try? s.scanNumber() else { return nil }
        return number.int64
    }

    /// Calls `body` with a string field's contents, escapes decoded; `nil` when absent or `null`.
    @inline(__always)
    public func withText<R>(_ field: FlowRecordField, _ body: (UnsafeRawBufferPointer) -> R) -> R? {
        guard var s = scanner(field), s.current == UInt8(ascii: "\""), let token = try? s.scanString() else { return nil }
        return Self.contents(of: token, in: s, body)
    }

    /// Calls `body` with each name of a list field, in order, and its index; the list's length, or
    /// `nil` when absent.
    public func forEachName(_ field: FlowRecordField, _ body: (UnsafeRawBufferPointer, Int) -> Void) -> Int? {
        guard var s = scanner(field), s.current == UInt8(ascii: "[") else { return nil }
        s.position += 1
        var count = 0
        do throws(JSONScanFailure) {
            guard try s.firstElement() else { return 0 }
            repeat {
                let token = try s.scanString()
                Self.contents(of: token, in: s) { body($0, count) }
                count += 1
            } while try s.nextElement()
        } catch {
            return count
        }
        return count
    }

    @inline(__always)
    private static func contents<R>(of token: JSONStringToken, in s: JSONByteScanner, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        if let p = s.plainContents(token) { return body(UnsafeRawBufferPointer(start: p, count: token.decodedCount)) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(token.decodedCount)
        s.forEachDecodedByte(token) { bytes.append($0) }
        return bytes.withUnsafeBytes(body)
    }
}
