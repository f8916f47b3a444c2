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
    /// The commands never left: the connection was found closed when writing them (the server
    /// went away and the client had not noticed yet). Sending them again on a new connection is safe.
    public let unsent: Bool

    public init(_ code: Code, _ message: String, unsent: Bool = false) {
        self.code = code
        self.message = message
        self.unsent = unsent
    }

    public var isRetriable: Bool { code == .unavailable || code == .connectionLost || code == .timeout }

    public var description: String { "redis \(code.rawValue): \(message)" }
}
