/// Parquet's physical types (`Type` in `parquet.thrift`), the ones this writer emits.
public enum ParquetPhysicalType: Int32, Sendable {
    case boolean = 0
    case int32 = 1
    case int64 = 2
    case double = 5
    case byteArray = 6

    /// Bytes one PLAIN value takes (byte arrays: without their 4-byte length).
    var width: Int {
        switch self {
        case .boolean: 1
        case .int32: 4
        case .int64, .double: 8
        case .byteArray: 0
        }
    }
}

/// How often a field occurs in its parent (`FieldRepetitionType`).
public enum ParquetRepetition: Int32, Sendable {
    case required = 0
    case optional = 1
    case repeated = 2
}

/// What the bytes of a physical type mean (`LogicalType`, with the matching legacy
/// `ConvertedType` written alongside for older readers).
public enum ParquetLogicalType: Sendable, Hashable {
    /// UTF-8 text in a byte array.
    case string
    /// Milliseconds since the Unix epoch in an INT64, UTC.
    case timestampMillis
    /// A fixed-point number: the INT64 holds the value times 10^scale.
    case decimal(precision: Int32, scale: Int32)
    /// An integer narrower than its physical type.
    case integer(bits: Int8, signed: Bool)

    /// `ConvertedType` of the same meaning.
    var convertedType: Int32 {
        switch self {
        case .string: 0  // UTF8
        case .timestampMillis: 9  // TIMESTAMP_MILLIS
        case .decimal: 5  // DECIMAL
        case .integer(let bits, let signed):
            switch (bits, signed) {
            case (8, false): 11
            case (16, false): 12
            case (32, false): 13
            case (64, false): 14
            case (8, true): 15
            case (16, true): 16
            case (32, true): 17
            default: 18
            }
        }
    }

    /// Writes the `LogicalType` union.
    func write(_ writer: inout ThriftCompactWriter) {
        switch self {
        case .string:
            writer.empty(1)
        case .timestampMillis:
            writer.structure(8) { timestamp in
                timestamp.bool(1, true)
                timestamp.structure(2) { unit in unit.empty(1) }
            }
        case .decimal(let precision, let scale):
            writer.structure(5) { decimal in
                decimal.i32(1, scale)
                decimal.i32(2, precision)
            }
        case .integer(let bits, let signed):
            writer.structure(10) { integer in
                integer.i8(1, bits)
                integer.bool(2, signed)
            }
        }
    }
}
