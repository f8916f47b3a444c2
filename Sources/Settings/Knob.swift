import Foundation

/// What a user needs to know about one knob: its configuration key (the YAML path),
/// environment names, command-line flag, default, what it allows and what it does. Every
/// `Setting` declares one; the environment provider, error messages, the command-line help and
/// the table in docs/configuration.md all read it.
public struct Knob: Sendable, Hashable {
    public var key: String
    public var environment: String
    public var flag: String?
    /// The default as a user reads it (`4`, `16MB`, `CPU cores`).
    public var defaultValue: String
    /// What the value may be (`1-12`, `none, snappy, gzip, zstd, lz4`).
    public var allowed: String
    /// What it does, in a phrase: the command-line help and the table's description.
    public var help: String
    /// Other environment names read when `environment` is unset (the Python sink's and AWS's spellings).
    public var aliases: [String] = []
    /// Never printed (passwords, tokens).
    public var isSecret = false

    public init(
        key: String, environment: String, flag: String? = nil, defaultValue: String, allowed: String,
        help: String = "", aliases: [String] = [], isSecret: Bool = false
    ) {
        self.key = key
        self.environment = environment
        self.flag = flag
        self.defaultValue = defaultValue
        self.allowed = allowed
        self.help = help
        self.aliases = aliases
        self.isSecret = isSecret
    }

    /// The flag's long name without dashes and without its `--no-` inversion (`vpc-nodata`).
    public var flagName: String? {
        guard let flag else { return nil }
        let first = flag.split(separator: "/").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? flag
        return first.hasPrefix("--") ? String(first.dropFirst(2)) : first
    }
}
