/// Reads one mapping of a typed configuration section, key by key, with errors that name the
/// path (`network.roles[web].hosts`), and refuses keys it was not asked about.
public struct ConfigTreeReader {
    public let path: String
    private let entries: [ConfigTree.ConfigEntry]
    private var asked: Set<String> = []

    /// Fails unless `tree` is a mapping.
    public init(_ tree: ConfigTree, path: String) throws(ConfigurationError) {
        guard case .map(let entries) = tree else {
            throw ConfigurationError(key: path, value: Self.describe(tree), allowed: "a mapping of keys to values")
        }
        self.path = path
        self.entries = entries
        var seen = Set<String>()
        for entry in entries where !seen.insert(entry.key).inserted {
            throw ConfigurationError(key: "\(path).\(entry.key)", value: entry.key, allowed: "each key once")
        }
    }

    static func describe(_ tree: ConfigTree) -> String {
        switch tree {
        case .scalar(let text): text
        case .list: "a list"
        case .map: "a mapping"
        }
    }

    /// The value of `key`, if present.
    public mutating func value(_ key: String) -> ConfigTree? {
        asked.insert(key)
        return entries.first { $0.key == key }?.value
    }

    /// A scalar's text.
    public mutating func text(_ key: String) throws(ConfigurationError) -> String? {
        guard let value = value(key) else { return nil }
        guard case .scalar(let text) = value else {
            throw ConfigurationError(key: "\(path).\(key)", value: Self.describe(value), allowed: "a single value")
        }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// A required scalar.
    public mutating func required(_ key: String, _ allowed: String) throws(ConfigurationError) -> String {
        guard let text = try text(key) else { throw ConfigurationError(key: "\(path).\(key)", value: "", allowed: allowed + " (required)") }
        return text
    }

    /// A scalar parsed by `parse`; the error says what is allowed.
    public mutating func parsed<T>(_ key: String, _ allowed: String, _ parse: (String) -> T?) throws(ConfigurationError) -> T? {
        guard let text = try text(key) else { return nil }
        guard let value = parse(text) else { throw ConfigurationError(key: "\(path).\(key)", value: text, allowed: allowed) }
        return value
    }

    /// A list of scalars (a single scalar is a list of one).
    public mutating func texts(_ key: String) throws(ConfigurationError) -> [String]? {
        guard let value = value(key) else { return nil }
        switch value {
        case .scalar(let text): return text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        case .list(let items):
            var texts: [String] = []
            for (i, item) in items.enumerated() {
                guard case .scalar(let text) = item else {
                    throw ConfigurationError(key: "\(path).\(key)[\(i)]", value: Self.describe(item), allowed: "a single value")
                }
                texts.append(text.trimmingCharacters(in: .whitespaces))
            }
            return texts
        case .map: throw ConfigurationError(key: "\(path).\(key)", value: "a mapping", allowed: "a list of values")
        }
    }

    /// Fails on the first key nobody asked about.
    public func refuseUnknown(allowed: [String]) throws(ConfigurationError) {
        for entry in entries where !asked.contains(entry.key) {
            throw ConfigurationError(key: "\(path).\(entry.key)", value: entry.key, allowed: "a known key: " + allowed.joined(separator: ", "))
        }
    }
}
