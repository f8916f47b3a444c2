import Foundation
import Settings
import Yams

/// Collects pass-through librdkafka properties from the three places they can come from, each
/// overriding the one before: the YAML file's `kafka.properties` map (or list of `NAME=VALUE`),
/// `KAFKA_PROPERTY_<NAME>` environment variables (upper case, `_` for `.`, as Confluent's images
/// do), and `--kafka-property NAME=VALUE` flags.
enum KafkaPropertySources {
    static let environmentPrefix = "KAFKA_PROPERTY_"

    /// `NAME=VALUE` entries, merged by name.
    static func merged(yamlFile: String?, environment: [String: String], flags: [String]) throws(ConfigurationError) -> [String] {
        var properties: [String: String] = [:]
        if let yamlFile {
            for (name, value) in try fromYAML(path: yamlFile) { properties[name] = value }
        }
        for (name, value) in environment where name.hasPrefix(environmentPrefix) && name.count > environmentPrefix.count {
            properties[name.dropFirst(environmentPrefix.count).lowercased().replacingOccurrences(of: "_", with: ".")] = value
        }
        for flag in flags {
            guard let equals = flag.firstIndex(of: "="), equals != flag.startIndex else {
                throw ConfigurationError(key: Knobs.kafka.properties.key, value: flag, allowed: "NAME=VALUE, such as socket.keepalive.enable=true")
            }
            properties[String(flag[..<equals])] = String(flag[flag.index(after: equals)...])
        }
        return properties.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    }

    /// `kafka.properties` of a YAML file: a map of scalars, or a list of `NAME=VALUE`.
    static func fromYAML(path: String) throws(ConfigurationError) -> [(String, String)] {
        let node: Node?
        do {
            node = try Yams.compose(yaml: String(contentsOfFile: path, encoding: .utf8))
        } catch {
            // The configuration provider reports unreadable or broken files itself.
            return []
        }
        guard let properties = node?.mapping?["kafka"]?.mapping?["properties"] else { return [] }
        if let mapping = properties.mapping {
            var result: [(String, String)] = []
            for (key, value) in mapping {
                guard let name = key.scalar?.string, let text = value.scalar?.string else {
                    throw ConfigurationError(key: Knobs.kafka.properties.key, value: "\(key.any)", allowed: "a map of librdkafka property names to plain values")
                }
                result.append((name, text))
            }
            return result
        }
        if let sequence = properties.sequence {
            var result: [(String, String)] = []
            for item in sequence {
                guard let text = item.scalar?.string, let equals = text.firstIndex(of: "="), equals != text.startIndex else {
                    throw ConfigurationError(key: Knobs.kafka.properties.key, value: "\(item.any)", allowed: "NAME=VALUE entries")
                }
                result.append((String(text[..<equals]), String(text[text.index(after: equals)...])))
            }
            return result
        }
        throw ConfigurationError(key: Knobs.kafka.properties.key, value: properties.scalar?.string ?? "?", allowed: "a map of librdkafka property names to values")
    }
}
