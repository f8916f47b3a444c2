import Settings

/// Settings of the S3 store (see the `s3.*` knobs). Defaults: AWS's regional endpoint for
/// `us-east-1`, bucket `telemetry-data`, no key prefix, virtual-hosted addressing on AWS and
/// path-style on a custom endpoint, bucket created when missing, multipart from 16MB in 8MB
/// parts, 30 s per request. Credentials have no default.
public struct S3Configuration: Sendable, Hashable, CustomStringConvertible {
    public static let defaultRegion = "us-east-1"
    public static let defaultBucket = "telemetry-data"
    public static let defaultMultipartThreshold = 16 << 20
    public static let defaultPartSize = 8 << 20
    public static let defaultRequestTimeout = 30.0
    /// S3's smallest part (all but the last) and largest part or single PUT.
    public static let minimumPartSize = 5 << 20
    /// The smallest multipart threshold: an object below the part size uploads as one part,
    /// which S3 allows (only parts before the last must be at least 5 MiB).
    public static let minimumMultipartThreshold = 1 << 20
    public static let maximumPartSize = 5 << 30
    /// S3's most parts in one multipart upload.
    public static let maximumPartCount = 10_000

    public var bucket: String
    /// Prepended to every key (`some/prefix` -> `some/prefix/<key>`), without leading or trailing
    /// `/`; "" for none.
    public var prefix: String
    public var region: String
    /// Nil: AWS (`https://s3.<region>.amazonaws.com`).
    public var endpoint: S3Endpoint?
    public var credentials: SigV4Credentials
    /// `endpoint/bucket/key` when true, `bucket.endpoint/key` when false.
    public var pathStyle: Bool
    /// Create the bucket in `prepare()` when it does not exist.
    public var createBucket: Bool
    /// Objects of at least this many bytes upload in parts.
    public var multipartThreshold: Int
    public var partSize: Int
    /// Seconds one HTTP request may take.
    public var requestTimeout: Double
    /// The integrity check a single PUT carries.
    public var checksum: S3Checksum

    /// `pathStyle` nil: true with a custom endpoint, false on AWS.
    public init(
        bucket: String = Self.defaultBucket, prefix: String = "", region: String = Self.defaultRegion,
        endpoint: S3Endpoint? = nil, credentials: SigV4Credentials, pathStyle: Bool? = nil, createBucket: Bool = true,
        multipartThreshold: Int = Self.defaultMultipartThreshold, partSize: Int = Self.defaultPartSize,
        requestTimeout: Double = Self.defaultRequestTimeout, checksum: S3Checksum = .crc32
    ) {
        self.bucket = bucket
        self.prefix = prefix
        self.region = region
        self.endpoint = endpoint
        self.credentials = credentials
        self.pathStyle = pathStyle ?? (endpoint != nil)
        self.createBucket = createBucket
        self.multipartThreshold = multipartThreshold
        self.partSize = partSize
        self.requestTimeout = requestTimeout
        self.checksum = checksum
    }

    /// The endpoint requests go to.
    public var resolvedEndpoint: S3Endpoint { endpoint ?? .aws(region: region) }

    /// `s3://bucket` or `s3://bucket/prefix`.
    public var location: String { prefix.isEmpty ? "s3://\(bucket)" : "s3://\(bucket)/\(prefix)" }

    public var description: String {
        "S3Configuration(\(location), endpoint: \(resolvedEndpoint), region: \(region), pathStyle: \(pathStyle), "
            + "accessKeyID: \(credentials.accessKeyID), createBucket: \(createBucket), multipartThreshold: \(multipartThreshold), "
            + "partSize: \(partSize), requestTimeout: \(requestTimeout.compact)s, checksum: \(checksum.rawValue))"
    }

    /// Checks values set in code the way `init(config:)` checks knobs.
    public func validate() throws(ConfigurationError) {
        try Self.validateBucketName(bucket, key: "s3.bucket")
        if !prefix.isEmpty { _ = try Self.normalizedPrefix(prefix, key: "sink.store") }
        guard !region.isEmpty, region.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
            throw ConfigurationError(key: "s3.region", value: region, allowed: "an AWS region name such as us-east-1")
        }
        guard !credentials.accessKeyID.isEmpty else { throw Self.missingCredentials("s3.access_key_id") }
        guard !credentials.secretAccessKey.isEmpty else { throw Self.missingCredentials("s3.secret_access_key") }
        guard (Self.minimumMultipartThreshold...Self.maximumPartSize).contains(multipartThreshold) else {
            throw ConfigurationError(key: "s3.multipart_threshold", value: String(multipartThreshold), allowed: "1MB-5GB")
        }
        guard (Self.minimumPartSize...Self.maximumPartSize).contains(partSize) else {
            throw ConfigurationError(key: "s3.part_size", value: String(partSize), allowed: "5MB-5GB")
        }
        guard requestTimeout > 0, requestTimeout.isFinite else {
            throw ConfigurationError(key: "s3.request_timeout", value: requestTimeout.compact, allowed: "a positive duration")
        }
    }

    // MARK: - Names

    /// S3's rules for new buckets: 3-63 characters of `a-z 0-9 . -`, starting and ending with a
    /// letter or digit, no `..`, not an IPv4 address.
    public static func validateBucketName(_ name: String, key: String) throws(ConfigurationError) {
        let allowed = "3-63 of a-z 0-9 . - (S3 bucket name: starting and ending with a letter or digit, no '..', not an IP address)"
        let bytes = Array(name.utf8)
        let valid = (3...63).contains(bytes.count)
            && bytes.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2D }
            && isAlphanumeric(bytes.first!) && isAlphanumeric(bytes.last!)
            && !name.contains("..")
            && !(name.split(separator: ".").count == 4 && name.split(separator: ".").allSatisfy { UInt8($0) != nil })
        guard valid else { throw ConfigurationError(key: key, value: name, allowed: allowed) }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool { (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) }

    /// A key prefix without leading or trailing `/`; no empty, `.` or `..` segments.
    static func normalizedPrefix(_ text: String, key: String) throws(ConfigurationError) -> String {
        var trimmed = Substring(text)
        while trimmed.hasPrefix("/") { trimmed = trimmed.dropFirst() }
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        let segments = trimmed.split(separator: "/", omittingEmptySubsequences: false)
        guard trimmed.isEmpty || segments.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }) else {
            throw ConfigurationError(key: key, value: text, allowed: "a key prefix of /-separated names, without empty, '.' or '..' segments")
        }
        return String(trimmed)
    }

    /// Parses `s3://bucket` or `s3://bucket/some/prefix` (the `sink.store` knob).
    public static func parseStoreURL(_ text: String) throws(ConfigurationError) -> (bucket: String, prefix: String) {
        let allowed = "s3://BUCKET or s3://BUCKET/PREFIX"
        let trimmed = text.trimmingWhitespace()
        guard trimmed.lowercased().hasPrefix("s3://") else { throw ConfigurationError(key: "sink.store", value: text, allowed: allowed) }
        let rest = trimmed.dropFirst(5)
        let bucket = rest.prefix { $0 != "/" }
        guard !bucket.isEmpty else { throw ConfigurationError(key: "sink.store", value: text, allowed: allowed) }
        do {
            try validateBucketName(String(bucket), key: "sink.store")
        } catch {
            throw ConfigurationError(key: "sink.store", value: text, allowed: "\(allowed); BUCKET: \(error.allowed)")
        }
        do {
            let prefix = try normalizedPrefix(String(rest.dropFirst(bucket.count)), key: "sink.store")
            return (String(bucket), prefix)
        } catch {
            throw ConfigurationError(key: "sink.store", value: text, allowed: "\(allowed); PREFIX: \(error.allowed)")
        }
    }

    // MARK: - Errors

    /// No access key or no secret: names both keys with every environment name that sets them.
    static func missingCredentials(_ key: String) -> ConfigurationError {
        ConfigurationError(
            key: key, value: "(unset)",
            allowed: "S3 needs credentials: set \(names(of: "s3.access_key_id")) and \(names(of: "s3.secret_access_key"))"
                + " (and \(names(of: "s3.session_token")) for temporary credentials)"
        )
    }

    /// `s3.access_key_id (AWS_ACCESS_KEY_ID or MINIO_ACCESS_KEY)`
    static func names(of key: String) -> String {
        guard let knob = ConfigKeys.knobs.first(where: { $0.key == key }) else { return key }
        return "\(key) (\(([knob.environment] + knob.aliases).joined(separator: " or ")))"
    }
}
