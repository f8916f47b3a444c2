/// What a flow record's field requires (``JSONScanProblem/wrongType(expected:found:)``).
public enum JSONExpectedType: Sendable {
    case integer, string, array, object

    var name: String {
        switch self {
        case .integer: "an integer"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
