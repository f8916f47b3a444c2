/// Settings of the S3 store. Defaults: AWS's regional endpoint for
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
            + "partSize: \(partSize), requestTimeout: \(requestTimeout.compactSeconds), checksum: \(checksum.rawValue))"
    }

    /// Checks the values (whoever set them): names, sizes and credentials S3 accepts.
    public func validate() throws(StoreConfigurationError) {
        try Self.validateBucketName(bucket)
        if !prefix.isEmpty { _ = try Self.normalizedPrefix(prefix) }
        guard !region.isEmpty, region.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
            throw StoreConfigurationError(.region, value: region, allowed: "an AWS region name such as us-east-1")
        }
        guard !credentials.accessKeyID.isEmpty else { throw Self.missingCredentials(.accessKeyID) }
        guard !credentials.secretAccessKey.isEmpty else { throw Self.missingCredentials(.secretAccessKey) }
        guard (Self.minimumMultipartThreshold...Self.maximumPartSize).contains(multipartThreshold) else {
            throw StoreConfigurationError(.multipartThreshold, value: String(multipartThreshold), allowed: "1MB-5GB")
        }
        guard (Self.minimumPartSize...Self.maximumPartSize).contains(partSize) else {
            throw StoreConfigurationError(.partSize, value: String(partSize), allowed: "5MB-5GB")
        }
        guard requestTimeout > 0, requestTimeout.isFinite else {
            throw StoreConfigurationError(.requestTimeout, value: String(requestTimeout), allowed: "a positive duration")
        }
    }

    // MARK: - Names

    /// S3's rules for new buckets: 3-63 characters of `a-z 0-9 . -`, starting and ending with a
    /// letter or digit, no `..`, not an IPv4 address.
    public static func validateBucketName(_ name: String) throws(StoreConfigurationError) {
        let allowed = "3-63 of a-z 0-9 . - (S3 bucket name: starting and ending with a letter or digit, no '..', not an IP address)"
        let bytes = Array(name.utf8)
        let valid = (3...63).contains(bytes.count)
            && bytes.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2D }
            && isAlphanumeric(bytes.first!) && isAlphanumeric(bytes.last!)
            && !name.contains("..")
            && !(name.split(separator: ".").count == 4 && name.split(separator: ".").allSatisfy { UInt8($0) != nil })
        guard valid else { throw StoreConfigurationError(.bucket, value: name, allowed: allowed) }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool { (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) }

    /// A key prefix without leading or trailing `/`; no empty, `.` or `..` segments.
    static func normalizedPrefix(_ text: String) throws(StoreConfigurationError) -> String {
        var trimmed = Substring(text)
        while trimmed.hasPrefix("/") { trimmed = trimmed.dropFirst() }
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        let segments = trimmed.split(separator: "/", omittingEmptySubsequences: false)
        guard trimmed.isEmpty || segments.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }) else {
            throw StoreConfigurationError(.location, value: text, allowed: "a key prefix of /-separated names, without empty, '.' or '..' segments")
        }
        return String(trimmed)
    }

    /// Parses `s3://bucket` or `s3://bucket/some/prefix` (a store's location).
    public static func parseStoreURL(_ text: String) throws(StoreConfigurationError) -> (bucket: String, prefix: String) {
        let allowed = "s3://BUCKET or s3://BUCKET/PREFIX"
        let trimmed = text.trimmingWhitespace()
        guard trimmed.lowercased().hasPrefix("s3://") else { throw StoreConfigurationError(.location, value: text, allowed: allowed) }
        let rest = trimmed.dropFirst(5)
        let bucket = rest.prefix { $0 != "/" }
        guard !bucket.isEmpty else { throw StoreConfigurationError(.location, value: text, allowed: allowed) }
        do {
            try validateBucketName(String(bucket))
        } catch {
            throw StoreConfigurationError(.location, value: text, allowed: "\(allowed); BUCKET: \(error.allowed)")
        }
        do {
            let prefix = try normalizedPrefix(String(rest.dropFirst(bucket.count)))
            return (String(bucket), prefix)
        } catch {
            throw StoreConfigurationError(.location, value: text, allowed: "\(allowed); PREFIX: \(error.allowed)")
        }
    }

    /// No access key or no secret.
    static func missingCredentials(_ setting: StoreConfigurationError.Setting) -> StoreConfigurationError {
        StoreConfigurationError(setting, value: "", allowed: "S3 needs credentials: an access key id and a secret access key")
    }
}
