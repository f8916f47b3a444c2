import ArgumentParser

/// The `netchaos` command.
@main
struct NetChaos: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "netchaos",
        abstract: "Realistic, chaotic network telemetry with labelled ground truth.",
        version: "0.1.0",
        subcommands: [Generate.self]
    )
}
