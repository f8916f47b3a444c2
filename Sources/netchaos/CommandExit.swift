import ArgumentParser
import GeneratorRuntime
import HTTPServing
import Ingester
import KafkaTransport
import Settings
import TelemetrySink

/// The one place where an error becomes an exit status, for every command: the message goes to
/// stderr as `netchaos: error: ...`, and the status is 2 for configuration and usage (a bad value,
/// a file that cannot be read, an address that is not one) and 1 for a failure while running
/// (an output, the store, Kafka, Redis, a port already taken).
enum CommandExit {
    static let usage = ExitCode(2)
    static let failure = ExitCode(1)

    /// Prints `error` and gives the status to exit with. `servers`: the command's HTTP servers,
    /// whose listen failures (a port in use) are described by the setting that chose the port.
    static func status(for error: any Error, servers: [HTTPServerConfiguration] = []) -> ExitCode {
        switch error {
        case let code as ExitCode:
            return code
        case let error as ConfigurationError:
            return usage(error.description)
        case is GeneratorError, is SinkError, is KafkaError, is MetricStoreStartup.Failure:
            return failed(String(describing: error))
        default:
            return failed(servers.lazy.compactMap { $0.listenFailure(error) }.first ?? "\(error)")
        }
    }

    /// Prints a usage error found by the command itself (a flag's value out of range) and gives 2.
    static func usage(_ message: String) -> ExitCode {
        Console.printError(message)
        return usage
    }

    /// Prints why a check could not be made (`verify` could not read a manifest, the store or a
    /// topic) and gives 2, so that 1 always means the check found something.
    static func cannotCheck(_ message: String) -> ExitCode {
        Console.printError(message)
        return usage
    }

    /// Prints a finding (records lost, an output that failed) and gives the failure status.
    static func failed(_ message: String) -> ExitCode {
        Console.printError(message)
        return failure
    }
}
