#if canImport(Glibc)
import Glibc
#endif

/// An output that cannot be opened or written, or a Kafka topic that did not take every record.
/// The generator counts it, reports it, and keeps writing the other outputs.
public struct OutputError: Error, Sendable, Hashable, CustomStringConvertible {
    public var output: String
    public var operation: String
    /// The `errno` value (0 when ``detail`` explains instead).
    public var code: Int32
    /// The reason, for errors that are not a system call's.
    public var detail: String?

    public init(output: String, operation: String, code: Int32) {
        self.output = output
        self.operation = operation
        self.code = code
    }

    public init(output: String, operation: String, detail: String) {
        self.output = output
        self.operation = operation
        code = 0
        self.detail = detail
    }

    /// The reader went away (`netchaos generate | head`): a normal end for stdout.
    public var isBrokenPipe: Bool { code == EPIPE }

    public var description: String {
        "cannot \(operation) \(output): \(detail ?? String(cString: strerror(code)))"
    }
}
