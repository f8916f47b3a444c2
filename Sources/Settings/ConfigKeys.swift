/// Look-ups over every knob of `netchaos` (`Knobs.all`): environment names by key, the keys a
/// configuration file may hold, and how messages name a key.
public enum ConfigKeys {
    public typealias Knob = Settings.Knob

    /// Every knob (declared in `Knobs`' sections).
    public static var knobs: [Knob] { Knobs.all }

    static let byKey: [String: Knob] = Dictionary(uniqueKeysWithValues: knobs.map { ($0.key, $0) })

    /// The environment variable name for a key.
    public static func environmentName(of key: String) -> String? { byKey[key]?.environment }

    /// The message producer's data files: accepted in a configuration file and not read (a note
    /// says so; reference data is one file, `generator.reference_data`).
    public static let unreadProducerKeys = ["data.currency_rates", "data.agents", "data.game_categories", "data.currencies"]

    /// The keys a configuration file may hold (the knobs'; sections of them are their prefixes).
    public static let yamlKeys: Set<String> = Set(knobs.map(\.key) + unreadProducerKeys)

    /// `key (ENV, --flag)` for messages.
    public static func spellings(of key: String) -> String {
        guard let knob = byKey[key] else { return key }
        var names = [knob.environment]
        if let flag = knob.flag { names.append(flag) }
        return "\(key) (\(names.joined(separator: ", ")))"
    }
}

extension ConfigKeys {
    /// The environment with every knob's primary name filled from its first alias that is set,
    /// when the primary name itself is unset (`MINIO_BUCKET_NAME` answers for `MINIO_BUCKET`).
    public static func resolvingAliases(_ environment: [String: String]) -> [String: String] {
        var resolved = environment
        for knob in knobs where resolved[knob.environment] == nil {
            if let alias = knob.aliases.first(where: { environment[$0] != nil }) {
                resolved[knob.environment] = environment[alias]
            }
        }
        return resolved
    }
}
