/// What went wrong talking to Redis. `isRetriable` errors mean the server is away (down,
/// restarting, unreachable): a caller answers 503 and tries again later.
public struct RedisError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// No connection could be made (refused, unreachable, timed out connecting).
        case unavailable
        /// The connection broke or closed with commands in flight.
        case connectionLost
        /// No answer within the command timeout.
        case timeout
        /// The server answered with an error (`-ERR ...`, `-WRONGTYPE ...`).
        case server
        /// The server refused the connection's `AUTH` or `SELECT`, or wants a password none was
        /// given for: a setting is wrong, and trying again cannot help.
        case refused
        /// The server sent bytes that are not RESP.
        case protocolError
        /// The answer was not of the kind the command gives.
        case unexpectedReply
        /// The client was shut down.
        case closed
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var isRetriable: Bool { code == .unavailable || code == .connectionLost || code == .timeout }

    public var description: String { "redis \(code.rawValue): \(message)" }
}
