import Foundation
import Settings
import TelemetryModel

extension TransactionReference {
    /// The reference data built into the binary (`examples/reference/transactions.json`).
    public static let builtin: TransactionReference = {
        // The built-in JSON is checked by a test; it always decodes.
        try! JSONDecoder().decode(TransactionReference.self, from: Data(builtinJSON.utf8))
    }()

    /// Reads reference data from a JSON file of the built-in one's shape.
    public static func load(path: String, key: String) throws(ConfigurationError) -> TransactionReference {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigurationError(key: key, value: path, allowed: "a readable JSON file shaped like examples/reference/transactions.json")
        }
        let reference: TransactionReference
        do {
            reference = try JSONDecoder().decode(TransactionReference.self, from: data)
        } catch {
            throw ConfigurationError(key: key, value: path, allowed: "JSON shaped like examples/reference/transactions.json (\(Self.describe(error)))")
        }
        let problems = reference.problems
        guard problems.isEmpty else {
            throw ConfigurationError(key: key, value: path, allowed: "consistent reference data: " + problems.prefix(3).joined(separator: "; "))
        }
        return reference
    }

    private static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing \((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
