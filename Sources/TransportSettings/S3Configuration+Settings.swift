import Configuration
import ObjectStorage
import Settings

extension S3Configuration {
    /// Reads the `s3` section (environment aliases such as `MINIO_ENDPOINT` resolved by the
    /// caller). Credentials are required; every other setting has a default.
    public init(config: ConfigReader) throws(ConfigurationError) {
        let values = ConfigValues(config).scoped(to: "s3")
        let secure = try values.bool("secure") ?? false
        var endpoint: S3Endpoint?
        if let text = values.string("endpoint") {
            guard let parsed = S3Endpoint(parsing: text, secure: secure) else {
                throw values.fail("endpoint", text, "http(s)://host[:port], or host:port (MinIO style, https when s3.secure is true)")
            }
            endpoint = parsed
        }
        let region = values.string("region") ?? Self.defaultRegion
        let bucket = values.string("bucket") ?? Self.defaultBucket
        do { try Self.validateBucketName(bucket) } catch { throw error.configurationError }

        guard let accessKeyID = values.string("access_key_id") else { throw StoreSettings.missingCredentials(values.key("access_key_id")) }
        guard let secret = values.secret("secret_access_key") else { throw StoreSettings.missingCredentials(values.key("secret_access_key")) }
        let credentials = SigV4Credentials(accessKeyID: accessKeyID, secretAccessKey: secret, sessionToken: values.secret("session_token"))

        var checksum = S3Checksum.crc32
        if let text = values.string("checksum") {
            guard let value = S3Checksum(rawValue: text.lowercased()) else { throw values.fail("checksum", text, S3Checksum.allowedNames) }
            checksum = value
        }
        self.init(
            bucket: bucket, region: region, endpoint: endpoint, credentials: credentials,
            pathStyle: try values.bool("path_style"), createBucket: try values.bool("create_bucket") ?? true,
            multipartThreshold: try values.size("multipart_threshold", in: Self.minimumMultipartThreshold...Self.maximumPartSize, example: "16MB") ?? Self.defaultMultipartThreshold,
            partSize: try values.size("part_size", in: Self.minimumPartSize...Self.maximumPartSize, example: "8MB") ?? Self.defaultPartSize,
            requestTimeout: try values.duration("request_timeout") ?? Self.defaultRequestTimeout, checksum: checksum
        )
        do { try validate() } catch { throw error.configurationError }
    }
}
