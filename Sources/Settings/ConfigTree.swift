import Configuration
import Foundation
import Yams

/// A YAML configuration file as a tree of text values. Scalars and lists of scalars become knobs
/// (``flattened()``, read like the environment and the flags); lists of mappings are typed
/// sections (`network.roles`, `network.vpcs`, `network.traffic`) that their owners decode.
public indirect enum ConfigTree: Sendable, Hashable {
    case scalar(String)
    case list([ConfigTree])
    case map([ConfigEntry])

    /// One key of a mapping, in file order.
    public struct ConfigEntry: Sendable, Hashable {
        public var key: String
        public var value: ConfigTree
        /// The key's line in the file (1-based), when parsed from text.
        public var line: Int? = nil
    }

    /// Parses YAML text; the top level must be a mapping (an empty file is an empty mapping).
    public static func parse(yaml text: String) throws(ConfigurationError) -> ConfigTree {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw ConfigurationError(key: "config", value: "", allowed: "YAML (\(error))")
        }
        guard let node else { return .map([]) }
        guard case .mapping = node else { throw ConfigurationError(key: "config", value: "", allowed: "a YAML mapping at the top level") }
        return try convert(node, path: "")
    }

    private static func convert(_ node: Node, path: String) throws(ConfigurationError) -> ConfigTree {
        switch node {
        case .scalar(let scalar):
            return .scalar(scalar.string)
        case .sequence(let sequence):
            var items: [ConfigTree] = []
            for (i, item) in sequence.enumerated() { items.append(try convert(item, path: "\(path)[\(i)]")) }
            return .list(items)
        case .mapping(let mapping):
            var entries: [ConfigEntry] = []
            for (key, value) in mapping {
                guard let name = key.string else { throw ConfigurationError(key: path, value: "\(key)", allowed: "text keys") }
                let child = path.isEmpty ? name : "\(path).\(name)"
                entries.append(ConfigEntry(key: name, value: try convert(value, path: child), line: key.mark.map { $0.line }))
            }
            return .map(entries)
        case .alias:
            throw ConfigurationError(key: path, value: "*alias", allowed: "plain values (YAML aliases are not supported)")
        }
    }

    /// The value at a dotted path (`network.roles`), if any.
    public subscript(path: String) -> ConfigTree? {
        var node: ConfigTree? = self
        for part in path.split(separator: ".") {
            guard case .map(let entries) = node else { return nil }
            node = entries.last { $0.key == part }?.value
        }
        return node
    }

    /// A provider of the file's knobs (``flattened()``), below the environment and the flags.
    public func provider(name: String = "config file") -> InMemoryProvider {
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        for (key, content) in flattened() { values[AbsoluteConfigKey(ConfigKey(key))] = ConfigValue(content, isSecret: false) }
        return InMemoryProvider(name: name, values: values)
    }

    /// Every scalar and list of scalars, by dotted key; lists holding mappings are left to their
    /// typed sections.
    public func flattened() -> [(key: String, content: ConfigContent)] {
        var out: [(String, ConfigContent)] = []
        func walk(_ node: ConfigTree, _ path: String) {
            switch node {
            case .scalar(let text):
                if !path.isEmpty { out.append((path, .string(text))) }
            case .list(let items):
                var texts: [String] = []
                for item in items {
                    guard case .scalar(let text) = item else { return }
                    texts.append(text)
                }
                out.append((path, .stringArray(texts)))
            case .map(let entries):
                for entry in entries { walk(entry.value, path.isEmpty ? entry.key : "\(path).\(entry.key)") }
            }
        }
        walk(self, "")
        return out
    }
}
