import Logging

/// Builds the store a `sink.store` value names: `file:PATH` (a local directory, relative to the
/// current directory unless absolute; `file:///abs` works too) or `s3://BUCKET[/PREFIX]` (bucket
/// and prefix from the URL, everything else from an ``S3Configuration``).
public enum ObjectStoreFactory {
    /// The embedded default.
    public static let defaultLocation = "file:./netchaos-data"

    /// What a `sink.store` value names.
    public enum Location: Sendable, Hashable {
        case directory(path: String)
        case s3(bucket: String, prefix: String)
    }

    /// Parses `file:PATH` or `s3://BUCKET[/PREFIX]`.
    public static func parseLocation(_ text: String) throws(StoreConfigurationError) -> Location {
        let trimmed = text.trimmingWhitespace()
        let lower = trimmed.lowercased()
        if lower.hasPrefix("s3://") {
            let (bucket, prefix) = try S3Configuration.parseStoreURL(trimmed)
            return .s3(bucket: bucket, prefix: prefix)
        }
        if lower.hasPrefix("file:") {
            var path = String(trimmed.dropFirst(5))
            if path.hasPrefix("//") {
                // file://localhost/abs or file:///abs
                path = String(path.dropFirst(2))
                if path.hasPrefix("localhost/") { path = String(path.dropFirst(9)) }
                guard path.hasPrefix("/") else {
                    throw StoreConfigurationError(.location, value: text, allowed: "file:PATH, file:///ABSOLUTE/PATH or s3://BUCKET[/PREFIX]")
                }
            }
            guard !path.isEmpty else {
                throw StoreConfigurationError(.location, value: text, allowed: "file:PATH with a directory path, such as file:./netchaos-data")
            }
            return .directory(path: path)
        }
        throw StoreConfigurationError(.location, value: text, allowed: "file:PATH (a local directory) or s3://BUCKET[/PREFIX]")
    }

    /// The store for `location`. For S3, `s3` supplies endpoint, credentials and the rest;
    /// bucket and prefix come from the URL. Call `shutdown()` on the store when done.
    public static func makeStore(location: String, s3: S3Configuration?, logger: Logger = Logger(label: "netchaos.store")) throws(StoreConfigurationError) -> any ObjectStore {
        switch try parseLocation(location) {
        case .directory(let path):
            return LocalDirectoryStore(root: path)
        case .s3(let bucket, let prefix):
            guard var configuration = s3 else {
                throw StoreConfigurationError(.location, value: location, allowed: "an s3:// store needs S3 settings (endpoint, credentials)")
            }
            configuration.bucket = bucket
            configuration.prefix = prefix
            return try S3ObjectStore(configuration: configuration, logger: logger)
        }
    }
}
