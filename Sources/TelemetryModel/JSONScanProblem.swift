/// One reason ``JSONByteScanner`` or ``FlowRecordValidator`` stops, held as plain values;
/// ``FlowRecordError`` turns it into the validator's text, and a reader on the scanner into its
/// own (the syntax problems say what was expected there).
public enum JSONScanProblem: Sendable {
    // Syntax (invalid_json)
    case emptyRecord
    case unexpectedEnd(expected: JSONExpectedToken)
    case unexpectedByte(UInt8, expected: JSONExpectedToken)
    /// A byte that is not UTF-8 in the string whose contents start at byte `string`.
    case invalidUTF8(UInt8, string: Int)
    case controlCharacter(UInt8)
    /// The escape up to the byte that does not fit (its last).
    case invalidEscape(expected: JSONExpectedToken)
    /// The escape of a surrogate with no partner (6 bytes), or of a high surrogate followed by the
    /// escape of something other than a low one (12 bytes).
    case loneSurrogate
    /// The number up to the byte that does not fit (its last).
    case invalidNumber(expected: JSONExpectedToken)
    case leadingZero
    case trailingBytes
    // Limits (too_large)
    case tooDeep
    case recordTooLarge(limit: Int)
    // Shape and values
    case notObject(JSONValueKind)
    case missing
    case wrongType(expected: JSONExpectedType, found: JSONValueKind)
    case notInteger
    case outOfRange(ClosedRange<Int64>)
    case doesNotFitInt64
    case lengthOutOfRange(ClosedRange<Int>, actual: Int)
    case badIP
    case unknownValue(FlowVocabularyKind)
    case unknownField(JSONStringToken)
    case duplicateKey
    case repeatedName

    var reason: FlowRejectReason {
        switch self {
        case .emptyRecord, .unexpectedEnd, .unexpectedByte, .invalidUTF8, .controlCharacter, .invalidEscape,
            .loneSurrogate, .invalidNumber, .leadingZero, .trailingBytes:
            .invalidJSON
        case .tooDeep, .recordTooLarge: .tooLarge
        case .notObject: .notObject
        case .missing: .missingField
        case .wrongType, .notInteger: .wrongType
        case .outOfRange, .doesNotFitInt64, .lengthOutOfRange: .outOfRange
        case .badIP: .badIP
        case .unknownValue: .unknownValue
        case .unknownField: .unknownField
        case .duplicateKey, .repeatedName: .duplicateField
        }
    }
}
