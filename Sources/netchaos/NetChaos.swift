import ArgumentParser
import FailPoints
import Foundation

/// The `netchaos` command.
@main
struct NetChaos: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "netchaos",
        abstract: "Realistic, chaotic network telemetry with labelled ground truth.",
        version: "0.1.0",
        subcommands: [Generate.self, Sink.self, Ingest.self, Up.self, Verify.self, KafkaCommand.self, KnobsCommand.self]
    )

    /// Runs the command; every usage error exits with status 2 (as bad configuration values do).
    static func main() async {
        if let error = FailPoints.validateEnvironment() {
            FileHandle.standardError.write(Data("netchaos: \(error)\n".utf8))
            Foundation.exit(2)
        }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            if exitCode(for: error) == .success { exit(withError: error) }
            FileHandle.standardError.write(Data("netchaos: \(fullMessage(for: error))\n".utf8))
            Foundation.exit(2)
        }
    }
}
