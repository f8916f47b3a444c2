/// Why ``FlowRecordValidator`` rejected a record: the reason (a stable label), the field's path
/// (`app_layer.status_code`, `flags[2]`, empty for the whole record) and a human-readable detail
/// naming the bad value (long values are cut to ``maxValueBytes``).
public struct FlowRecordError: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: FlowRejectReason
    /// Dotted path of the field, with `[i]` for array elements; empty for the whole record.
    public var field: String
    public var detail: String
    /// Byte offset in the record where the problem starts.
    public var offset: Int

    /// Longest piece of the record quoted in ``detail``.
    public static let maxValueBytes = 48

    public init(reason: FlowRejectReason, field: String, detail: String, offset: Int) {
        self.reason = reason
        self.field = field
        self.detail = detail
        self.offset = offset
    }

    /// The reason's label, for metrics and dead letters.
    public var code: String { reason.rawValue }

    public var description: String {
        field.isEmpty ? "\(reason.rawValue): \(detail)" : "\(reason.rawValue) at \(field): \(detail)"
    }
}

// MARK: - Rendering a scan failure

extension FlowRecordError {
    /// Turns the plain values of a failure into text, quoting the record where it helps.
    init(_ failure: JSONScanFailure, record: UnsafeRawBufferPointer) {
        let scanner = record.baseAddress.map { JSONByteScanner(base: $0, count: record.count) }
        func quote(_ start: Int, _ end: Int) -> String {
            let lower = min(max(start, 0), record.count)
            let upper = min(max(end, lower), record.count)
            let cut = min(upper, lower + Self.maxValueBytes)
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: record[lower..<cut]), as: UTF8.self)
            return cut < upper ? text + "…" : text
        }
        let value = quote(failure.start, failure.end)
        var path = failure.path.text
        let detail: String
        switch failure.problem {
        case .emptyRecord:
            detail = "the record is empty"
        case .unexpectedEnd:
            detail = "the record ends early, after \(record.count) bytes"
        case .unexpectedByte(let b, _):
            detail = "unexpected \(Self.describe(b)) at byte \(failure.start)"
        case .invalidUTF8(let b, _):
            detail = "invalid UTF-8 byte 0x\(Self.hex(b)) at byte \(failure.start)"
        case .controlCharacter(let b):
            detail = "unescaped control character 0x\(Self.hex(b)) in a string at byte \(failure.start)"
        case .invalidEscape:
            detail = "invalid escape \(value) at byte \(failure.start)"
        case .loneSurrogate:
            detail = "unpaired UTF-16 surrogate \(value) at byte \(failure.start)"
        case .invalidNumber:
            detail = "invalid number \(value) at byte \(failure.start)"
        case .leadingZero:
            detail = "number with a leading zero \(value) at byte \(failure.start)"
        case .trailingBytes:
            detail = "bytes after the object at byte \(failure.start): \(quote(failure.start, record.count))"
        case .tooDeep:
            detail = "values nested deeper than \(JSONByteScanner.defaultMaxDepth) levels at byte \(failure.start)"
        case .recordTooLarge(let limit):
            detail = "the record is \(record.count) bytes, above the limit of \(limit)"
        case .notObject(let kind):
            detail = "the record is \(kind.name), not an object: \(value)"
        case .missing:
            detail = "required field \(path) is missing"
        case .wrongType(let expected, let found):
            detail = "expected \(expected.name), got \(found.name): \(value)"
        case .notInteger:
            detail = "expected an integer, got a number with a fraction or exponent: \(value)"
        case .outOfRange(let range):
            detail = "\(value) is outside \(range.lowerBound)...\(range.upperBound)"
        case .doesNotFitInt64:
            detail = "\(value) does not fit in a 64-bit integer"
        case .lengthOutOfRange(let range, let actual):
            detail = "a string of \(actual) bytes, expected \(range.lowerBound)...\(range.upperBound): \(value)"
        case .badIP:
            detail = "\(value) is not a dotted-quad IPv4 address"
        case .unknownValue(let vocabulary):
            detail = "unknown value \(value), expected one of \(vocabulary.names.joined(separator: ", "))"
        case .unknownField(let key):
            let name = scanner.map { Self.cut($0.decodedString(key)) } ?? ""
            path = path.isEmpty ? name : path + "." + name
            detail = "unknown field \(value)"
        case .duplicateKey:
            detail = "field \(path) appears twice"
        case .repeatedName:
            detail = "\(value) is repeated"
        }
        self.init(reason: failure.problem.reason, field: path, detail: detail, offset: failure.start)
    }

    private static func cut(_ text: String) -> String {
        text.utf8.count <= maxValueBytes ? text : String(decoding: text.utf8.prefix(maxValueBytes), as: UTF8.self) + "…"
    }

    private static func hex(_ b: UInt8) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        return String(decoding: [digits[Int(b >> 4)], digits[Int(b & 15)]], as: UTF8.self)
    }

    private static func describe(_ b: UInt8) -> String {
        (0x21...0x7E).contains(b) ? "character '\(Character(Unicode.Scalar(b)))'" : "byte 0x\(hex(b))"
    }
}
