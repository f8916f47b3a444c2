import Configuration

/// A knob declared once: what users read about it (`knob`) and how its text becomes a value of
/// type `Value`, default included. `ConfigValues.value(_:)` reads it; the command-line help and
/// the documentation are made from `knob`.
public struct Setting<Value: Sendable>: Sendable, AnySetting {
    public let knob: Knob
    /// The configuration key (`output.gzip_level`).
    public var key: String { knob.key }
    let read: @Sendable (ConfigValues, String) throws(ConfigurationError) -> Value

    /// A knob with a default: unset reads as `defaultValue`.
    public init(
        _ key: String, env: String, flag: String? = nil, default defaultValue: Value, _ parser: KnobParser<Value>,
        help: String, shownDefault: String? = nil, allowed: String? = nil, aliases: [String] = []
    ) {
        knob = Knob(
            key: key, environment: env, flag: flag, defaultValue: shownDefault ?? parser.describe(defaultValue),
            allowed: allowed ?? parser.allowed, help: help, aliases: aliases)
        let parse = parser.read
        read = { values, key throws(ConfigurationError) in try parse(values, key) ?? defaultValue }
    }

    /// A knob without a fixed default: unset reads as nil, and its reader decides
    /// (`shownDefault` says what happens then).
    public init<T: Sendable>(
        _ key: String, env: String, flag: String? = nil, _ parser: KnobParser<T>,
        help: String, shownDefault: String, allowed: String? = nil, aliases: [String] = [], isSecret: Bool = false
    ) where Value == T? {
        knob = Knob(
            key: key, environment: env, flag: flag, defaultValue: shownDefault,
            allowed: allowed ?? parser.allowed, help: help, aliases: aliases, isSecret: isSecret)
        let parse = parser.read
        read = { values, key throws(ConfigurationError) in try parse(values, key) }
    }
}

/// A `Setting` of any value type, for lists of knobs.
public protocol AnySetting: Sendable {
    var knob: Knob { get }
}

extension ConfigValues {
    /// `setting`'s value: what the configuration sets, else its default. Scoped values
    /// (`scoped(to: "kafka")`) read settings of their section.
    public func value<Value>(_ setting: Setting<Value>) throws(ConfigurationError) -> Value {
        try setting.read(self, relative(setting.knob.key))
    }

    /// The text `setting` is set to (for messages and for knobs read further by their owner).
    public func text<Value>(_ setting: Setting<Value>) -> String? {
        string(relative(setting.knob.key))
    }

    /// The text `setting` is set to exactly as given, blanks kept (to quote a blank value back).
    public func rawText<Value>(_ setting: Setting<Value>) -> String? {
        reader.string(forKey: ConfigKey(key(relative(setting.knob.key))))
    }

    /// Whether `setting` is set at all.
    public func isSet<Value>(_ setting: Setting<Value>) -> Bool { text(setting) != nil }

    /// An error for `setting`'s value: `allowed` names what it may be.
    public func fail<Value>(_ setting: Setting<Value>, _ value: String, _ allowed: String) -> ConfigurationError {
        fail(relative(setting.knob.key), value, allowed)
    }

    func relative(_ key: String) -> String {
        guard !scope.isEmpty else { return key }
        precondition(key.hasPrefix(scope + "."), "\(key) read from values scoped to \(scope)")
        return String(key.dropFirst(scope.count + 1))
    }
}

extension ConfigValues {
    /// Whether list `setting` is set to nothing but blanks and commas: an error, not the default.
    public func isBlankList(_ setting: Setting<[String]?>) -> Bool { isBlankList(relative(setting.knob.key)) }
}
