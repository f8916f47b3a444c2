/// A failed object-store operation: what was tried, on which key, and whether trying again may
/// help (network trouble, 5xx, throttling) or not (bad credentials, missing bucket).
public struct ObjectStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// The endpoint could not be reached or the connection broke.
        case unreachable
        /// The server answered with an error status not covered below.
        case server
        /// Signature, credentials or permissions were refused (401/403).
        case accessDenied
        /// The bucket does not exist (and was not to be created).
        case noSuchBucket
        /// The key does not exist.
        case notFound
        /// The store's settings are unusable (endpoint, bucket name, credentials missing).
        case invalidConfiguration
        /// A local file operation failed.
        case io
        /// The operation took longer than its timeout.
        case timeout
        /// The key cannot name an object (empty, absolute, `..` or empty segments, too long).
        case invalidKey
    }

    public var code: Code
    /// What was being done (`PUT s3://bucket/key`).
    public var operation: String
    /// What went wrong, from the server's error document where there was one.
    public var message: String
    /// The HTTP status, when the server answered.
    public var status: Int?
    /// True when the same request may succeed later.
    public var isRetriable: Bool

    public init(_ code: Code, operation: String, message: String, status: Int? = nil, isRetriable: Bool? = nil) {
        self.code = code
        self.operation = operation
        self.message = message
        self.status = status
        self.isRetriable = isRetriable ?? [.unreachable, .server, .timeout].contains(code)
    }

    public var description: String {
        var text = "\(operation): \(message)"
        if let status { text += " (HTTP \(status))" }
        return text
    }
}
