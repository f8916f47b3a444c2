import ArgumentParser
import Foundation
import Settings

/// `netchaos knobs`: every knob as the documentation's table (Markdown) or as JSON, from the
/// declarations themselves. docs/configuration.md holds its output; a test checks they agree.
struct KnobsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "knobs",
        abstract: "Print every setting: key, environment names, flag, default, what it allows.",
        shouldDisplay: false
    )

    @Option(help: "markdown (the table of docs/configuration.md) or json.") var format = "markdown"

    func run() throws {
        switch format {
        case "markdown":
            print("| YAML key | environment | flag | default | what it is |")
            print("| --- | --- | --- | --- | --- |")
            for knob in ConfigKeys.knobs { print(Self.row(knob)) }
        case "json":
            let rows = ConfigKeys.knobs.map { knob in
                [
                    "key": knob.key, "environment": knob.environment, "aliases": knob.aliases.joined(separator: ","),
                    "flag": knob.flagName.map { "--" + $0 } ?? "", "default": knob.defaultValue, "allowed": knob.allowed, "help": knob.help,
                ]
            }
            let data = try JSONSerialization.data(withJSONObject: rows, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        default:
            throw ValidationError("--format: markdown or json, not '\(format)'")
        }
    }

    static func row(_ knob: Knob) -> String {
        let names = ([knob.environment] + knob.aliases).map { "`\($0)`" }.joined(separator: ", ")
        let flag = knob.flag.map { "`\($0)`" } ?? ""
        let what = knob.help.isEmpty ? knob.allowed : "\(knob.help): \(knob.allowed)"
        return "| `\(knob.key)` | \(names) | \(flag) | \(knob.defaultValue.replacingOccurrences(of: "|", with: "\\|")) | \(what.replacingOccurrences(of: "|", with: "\\|")) |"
    }
}
