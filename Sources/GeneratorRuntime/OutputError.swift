#if canImport(Glibc)
import Glibc
#endif

/// An output that cannot be opened or written. The generator counts it, reports it, and keeps
/// writing the other outputs.
public struct OutputError: Error, Sendable, Hashable, CustomStringConvertible {
    public var output: String
    public var operation: String
    /// The `errno` value.
    public var code: Int32

    public init(output: String, operation: String, code: Int32) {
        self.output = output
        self.operation = operation
        self.code = code
    }

    /// The reader went away (`netchaos generate | head`): a normal end for stdout.
    public var isBrokenPipe: Bool { code == EPIPE }

    public var description: String {
        "cannot \(operation) \(output): \(String(cString: strerror(code)))"
    }
}
