import ArgumentParser
import Configuration
import Settings

/// Command-line options that set knobs. A property is named as its knob's flag (`gzipLevel` is
/// `--gzip-level`, as ArgumentParser spells it) and takes its help from the knob
/// (`help: .knob(Knobs.output.gzipLevel)`); `flagValues` finds the knob of every property that
/// was given, so no command lists its flags a second time.
protocol KnobOptions: ParsableArguments {
    /// The knob sections whose flags these options set, the first winning where two share a flag
    /// (`up`'s `--port` is `up.port`, not `ingest.port`).
    static var knobSections: [String] { get }
}

extension KnobOptions {
    /// The command-line values by configuration key: every option and option group that was given.
    var flagValues: [String: ConfigContent] { KnobFlags.values(of: self, sections: Self.knobSections) }
}

/// Finds knobs by flag name, and the values options hold.
enum KnobFlags {
    /// Knobs given to the configuration loader apart from the flag values (the file itself, and
    /// librdkafka's properties, merged from three sources).
    static let passedSeparately: Set<String> = ["config", "kafka.properties"]

    /// The knob `--name` sets in a command reading `sections`.
    static func knob(flag name: String, sections: [String]) -> Knob? {
        let candidates = ConfigKeys.knobs.filter { $0.flagName == name && !passedSeparately.contains($0.key) }
        for section in sections {
            if let knob = candidates.first(where: { $0.key == section || $0.key.hasPrefix(section + ".") }) { return knob }
        }
        return nil
    }

    /// The flag ArgumentParser makes of a property name (`s3Endpoint` is `s3-endpoint`).
    static func flagName(of property: String) -> String {
        var name = ""
        for character in property {
            if character.isUppercase {
                if !name.isEmpty { name.append("-") }
                name.append(contentsOf: character.lowercased())
            } else {
                name.append(character)
            }
        }
        return name
    }

    static func values(of options: any ParsableArguments, sections: [String]) -> [String: ConfigContent] {
        var values: [String: ConfigContent] = [:]
        for child in Mirror(reflecting: options).children {
            guard let label = child.label?.drop(while: { $0 == "_" }) else { continue }
            if let group = child.value as? any OptionGroupValue {
                values.merge(Self.values(of: group.groupValue, sections: sections)) { $1 }
                continue
            }
            guard let content = content(of: child.value), let knob = knob(flag: flagName(of: String(label)), sections: sections) else { continue }
            values[knob.key] = content
        }
        return values
    }

    /// What an option property holds, when it was given.
    static func content(of property: Any) -> ConfigContent? {
        switch property {
        case let option as Option<String?>: option.wrappedValue.map { .string($0) }
        case let option as Option<[String]>: option.wrappedValue.isEmpty ? nil : .stringArray(option.wrappedValue)
        case let flag as Flag<Bool?>: flag.wrappedValue.map { .string("\($0)") }
        case let flag as Flag<Bool>: flag.wrappedValue ? .string("true") : nil
        default: nil
        }
    }
}

/// An option group, whatever its options (for `KnobFlags` to look inside).
protocol OptionGroupValue {
    var groupValue: any ParsableArguments { get }
}

extension OptionGroup: OptionGroupValue {
    var groupValue: any ParsableArguments { wrappedValue }
}

extension ArgumentHelp {
    /// A knob's help: what it does, then its environment name and default (`default`: this
    /// command's, where it has one of its own).
    static func knob<Value>(_ setting: Setting<Value>, default: String? = nil) -> ArgumentHelp {
        let knob = setting.knob
        var notes = ["env \(knob.environment)"]
        let shown = `default` ?? knob.defaultValue
        if !["none", "unset"].contains(shown) { notes.append("default \(shown)") }
        return ArgumentHelp("\(knob.help) (\(notes.joined(separator: "; "))).")
    }
}
