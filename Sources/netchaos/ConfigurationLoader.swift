import Settings
import Configuration
import Foundation
import GeneratorRuntime
import SystemPackage

/// Layers the configuration sources: command line > environment > YAML file > defaults.
enum ConfigurationLoader {
    /// Builds the reader. `flags` holds the command-line values by configuration key.
    static func reader(
        flags: [String: ConfigContent], kafkaProperties: [String] = [], configFile: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws(ConfigurationError) -> ConfigReader {
        try await load(flags: flags, kafkaProperties: kafkaProperties, configFile: configFile, environment: environment).reader
    }

    /// The reader, and the YAML file as a tree for its typed sections (the network).
    static func load(
        flags: [String: ConfigContent], kafkaProperties: [String] = [], configFile: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws(ConfigurationError) -> (reader: ConfigReader, document: ConfigTree?) {
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        for (key, content) in flags { values[AbsoluteConfigKey(ConfigKey(key))] = ConfigValue(content, isSecret: false) }
        let path = configFile ?? environment["NETCHAOS_CONFIG"]
        let yamlPath = path.flatMap { $0.isEmpty || !FileManager.default.isReadableFile(atPath: $0) ? nil : $0 }
        let properties = try KafkaPropertySources.merged(yamlFile: yamlPath, environment: environment, flags: kafkaProperties)
        if !properties.isEmpty {
            values[AbsoluteConfigKey(ConfigKey("kafka.properties"))] = ConfigValue(.stringArray(properties), isSecret: true)
        }
        var providers: [any ConfigProvider] = [InMemoryProvider(name: "command line", values: values)]
        let env = EnvironmentVariablesProvider(environmentVariables: ConfigKeys.resolvingAliases(environment))
        providers.append(KeyMappingProvider(upstream: env) { key in
            let dotted = key.components.joined(separator: ".")
            let name = ConfigKeys.environmentName(of: dotted) ?? "NETCHAOS_UNMAPPED_" + dotted
            return AbsoluteConfigKey([name])
        })
        if let path, !path.isEmpty {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            guard exists, !isDirectory.boolValue, FileManager.default.isReadableFile(atPath: path) else {
                let reason = !exists ? "no such file" : isDirectory.boolValue ? "it is a directory" : "the file is not readable"
                throw ConfigurationError(key: "config", value: path, allowed: "a readable YAML file (\(reason))")
            }
            let text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw ConfigurationError(key: "config", value: path, allowed: "a readable YAML file (\(describe(error)))")
            }
            let tree: ConfigTree
            do throws(ConfigurationError) {
                tree = try ConfigTree.parse(yaml: text)
            } catch {
                throw ConfigurationError(key: "config", value: path, allowed: error.allowed)
            }
            try tree.checkKeys(file: path)
            providers.append(tree.provider())
            return (ConfigReader(providers: providers), tree)
        }
        return (ConfigReader(providers: providers), nil)
    }

    static func describe(_ error: any Error) -> String {
        "\(error)"
    }
}
