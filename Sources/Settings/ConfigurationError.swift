/// A configuration value that cannot be used. The message names the key (with its environment
/// variable and flag where it has them), the value and what is allowed. `netchaos` exits with
/// status 2 on it.
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var key: String
    public var value: String
    public var allowed: String
    /// A message of its own (an unknown key has no value to quote); nil: the usual form.
    public var message: String?

    public init(key: String, value: String, allowed: String) {
        self.key = key
        self.value = value
        self.allowed = allowed
    }

    /// A key the configuration file has that nothing reads, or at the wrong level.
    public init(unknownKey key: String, message: String) {
        self.init(key: key, value: "", allowed: "")
        self.message = message
    }

    public var description: String {
        if let message { return message }
        let names = ConfigKeys.spellings(of: key)
        return "invalid value '\(value)' for \(names): \(allowed)"
    }
}
