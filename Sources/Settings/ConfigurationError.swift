/// A configuration value that cannot be used. The message names the key (with its environment
/// variable and flag where it has them), the value and what is allowed. `netchaos` exits with
/// status 2 on it.
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var key: String
    public var value: String
    public var allowed: String

    public init(key: String, value: String, allowed: String) {
        self.key = key
        self.value = value
        self.allowed = allowed
    }

    public var description: String {
        let names = ConfigKeys.spellings(of: key)
        return "invalid value '\(value)' for \(names): \(allowed)"
    }
}
