import Configuration

/// An in-memory configuration of these values (texts or lists), keyed as in YAML.
func configReader(contents values: [String: ConfigValue]) -> ConfigReader {
    ConfigReader(provider: InMemoryProvider(values: Dictionary(uniqueKeysWithValues: values.map { (AbsoluteConfigKey(ConfigKey($0.key)), $0.value) })))
}

/// An in-memory configuration of these texts, keyed as in YAML.
func configReader(_ values: [String: String]) -> ConfigReader {
    configReader(contents: values.mapValues { ConfigValue(.string($0), isSecret: false) })
}
