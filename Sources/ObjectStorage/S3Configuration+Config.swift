import Configuration
import Settings

extension S3Configuration {
    /// Reads the `s3.*` knobs (environment aliases such as `MINIO_ENDPOINT` resolved by the
    /// caller). Credentials are required; every other knob has a default.
    public init(config: ConfigReader) throws(ConfigurationError) {
        let values = ConfigValues(config)
        let secure = try values.bool("s3.secure") ?? false
        var endpoint: S3Endpoint?
        if let text = values.string("s3.endpoint") {
            guard let parsed = S3Endpoint(parsing: text, secure: secure) else {
                throw ConfigurationError(
                    key: "s3.endpoint", value: text,
                    allowed: "http(s)://host[:port], or host:port (MinIO style, https when s3.secure is true)"
                )
            }
            endpoint = parsed
        }
        let region = values.string("s3.region") ?? Self.defaultRegion
        let bucket = values.string("s3.bucket") ?? Self.defaultBucket
        try Self.validateBucketName(bucket, key: "s3.bucket")

        guard let accessKeyID = values.string("s3.access_key_id") else { throw Self.missingCredentials("s3.access_key_id") }
        guard let secret = values.secret("s3.secret_access_key") else { throw Self.missingCredentials("s3.secret_access_key") }
        let credentials = SigV4Credentials(accessKeyID: accessKeyID, secretAccessKey: secret, sessionToken: values.secret("s3.session_token"))

        var checksum = S3Checksum.crc32
        if let text = values.string("s3.checksum") {
            guard let value = S3Checksum(rawValue: text.lowercased()) else {
                throw ConfigurationError(key: "s3.checksum", value: text, allowed: S3Checksum.allowedNames)
            }
            checksum = value
        }
        self.init(
            bucket: bucket, region: region, endpoint: endpoint, credentials: credentials,
            pathStyle: try values.bool("s3.path_style"), createBucket: try values.bool("s3.create_bucket") ?? true,
            multipartThreshold: try values.size("s3.multipart_threshold", in: Self.minimumMultipartThreshold...Self.maximumPartSize, example: "16MB") ?? Self.defaultMultipartThreshold,
            partSize: try values.size("s3.part_size", in: Self.minimumPartSize...Self.maximumPartSize, example: "8MB") ?? Self.defaultPartSize,
            requestTimeout: try values.duration("s3.request_timeout") ?? Self.defaultRequestTimeout, checksum: checksum
        )
        try validate()
    }
}
