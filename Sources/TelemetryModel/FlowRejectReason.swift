/// Why a flow record was rejected. The raw value is the stable label used in metrics and dead
/// letters.
public enum FlowRejectReason: String, Sendable, CaseIterable, Hashable {
    /// Not JSON per RFC 8259: a syntax error, the record stops early, invalid UTF-8, bytes after
    /// the object, or an empty record.
    case invalidJSON = "invalid_json"
    /// Valid JSON, but the top-level value is not an object.
    case notObject = "not_object"
    /// A required field is absent.
    case missingField = "missing_field"
    /// A field holds the wrong JSON type (a string or a fraction where an integer is required,
    /// `null`, a number where a string is required).
    case wrongType = "wrong_type"
    /// A number outside its field's range (or outside Int64), or a string of the wrong length.
    case outOfRange = "out_of_range"
    /// An address that is not a strict dotted-quad IPv4 address.
    case badIP = "bad_ip"
    /// A string that is not one of the field's known names (protocol, TCP flag, label, kind).
    case unknownValue = "unknown_value"
    /// A key that the flow event does not have.
    case unknownField = "unknown_field"
    /// A key given twice in one object, or a name repeated in `flags` or `anomalies`.
    case duplicateField = "duplicate_field"
    /// The record is longer than the validator's limit, or nested deeper than its limit.
    case tooLarge = "too_large"
}
