/// The values of one column read from a file, a row each (nil for a null), in the type the
/// column's physical type maps to.
public enum ParquetColumnValues: Sendable, Equatable {
    case boolean([Bool?])
    case int32([Int32?])
    case int64([Int64?])
    case double([Double?])
    case byteArray([[UInt8]?])

    /// Rows read.
    public var count: Int {
        switch self {
        case .boolean(let values): values.count
        case .int32(let values): values.count
        case .int64(let values): values.count
        case .double(let values): values.count
        case .byteArray(let values): values.count
        }
    }

    /// INT32 and INT64 values as `Int64`; nil for other types.
    public var integers: [Int64?]? {
        switch self {
        case .int32(let values): values.map { $0.map(Int64.init) }
        case .int64(let values): values
        default: nil
        }
    }

    /// BYTE_ARRAY values as UTF-8 text (invalid sequences replaced); nil for other types.
    public var strings: [String?]? {
        guard case .byteArray(let values) = self else { return nil }
        var result: [String?] = []
        result.reserveCapacity(values.count)
        // Dictionary-encoded values repeat: decode each distinct run once.
        var last: (bytes: [UInt8], text: String)?
        for value in values {
            guard let value else {
                result.append(nil)
                continue
            }
            if let cached = last, cached.bytes == value {
                result.append(cached.text)
            } else {
                let text = String(decoding: value, as: UTF8.self)
                last = (value, text)
                result.append(text)
            }
        }
        return result
    }
}
