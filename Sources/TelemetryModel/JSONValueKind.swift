/// The JSON type of a value, judged from its first byte.
public enum JSONValueKind: Sendable {
    case string, number, boolean, null, array, object

    /// The type in a message's words (`an object`).
    public var name: String {
        switch self {
        case .string: "a string"
        case .number: "a number"
        case .boolean: "a boolean"
        case .null: "null"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
