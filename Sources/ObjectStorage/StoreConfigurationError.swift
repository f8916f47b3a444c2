/// A store setting that cannot be used: which one, its value, and what is allowed. The
/// application names the setting as its users know it (a configuration key, a flag).
public struct StoreConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Setting: String, Sendable, Hashable, CaseIterable {
        /// The store's location (`file:PATH`, `s3://BUCKET[/PREFIX]`).
        case location
        case bucket, region, endpoint, checksum
        case accessKeyID = "access key id"
        case secretAccessKey = "secret access key"
        case multipartThreshold = "multipart threshold"
        case partSize = "part size"
        case requestTimeout = "request timeout"
    }

    public var setting: Setting
    public var value: String
    public var allowed: String

    public init(_ setting: Setting, value: String, allowed: String) {
        self.setting = setting
        self.value = value
        self.allowed = allowed
    }

    /// Credentials S3 needs and was not given.
    public var isMissingCredentials: Bool { (setting == .accessKeyID || setting == .secretAccessKey) && value.isEmpty }

    public var description: String {
        isMissingCredentials ? allowed : "invalid value '\(value)' for the store's \(setting.rawValue): \(allowed)"
    }
}
