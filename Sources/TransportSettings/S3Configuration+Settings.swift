import Configuration
import ObjectStorage
import Settings

extension S3Configuration {
    /// Reads the `s3` section (environment aliases such as `MINIO_ENDPOINT` resolved by the
    /// caller). Credentials are required; every other setting has a default.
    public init(config: ConfigReader) throws(ConfigurationError) {
        let values = ConfigValues(config).scoped(to: "s3")
        let knobs = Knobs.s3
        let secure = try values.value(knobs.secure)
        var endpoint: S3Endpoint?
        if let text = try values.value(knobs.endpoint) {
            guard let parsed = S3Endpoint(parsing: text, secure: secure) else {
                throw values.fail(knobs.endpoint, text, "http(s)://host[:port], or host:port (MinIO style, https when s3.secure is true)")
            }
            endpoint = parsed
        }
        let region = try values.value(knobs.region)
        let bucket = try values.value(knobs.bucket)
        do { try Self.validateBucketName(bucket) } catch { throw error.configurationError }

        guard let accessKeyID = try values.value(knobs.accessKeyId) else { throw StoreSettings.missingCredentials(knobs.accessKeyId.knob.key) }
        guard let secret = try values.value(knobs.secretAccessKey) else { throw StoreSettings.missingCredentials(knobs.secretAccessKey.knob.key) }
        let credentials = SigV4Credentials(accessKeyID: accessKeyID, secretAccessKey: secret, sessionToken: try values.value(knobs.sessionToken))

        let checksumName = try values.value(knobs.checksum)
        guard let checksum = S3Checksum(rawValue: checksumName) else { throw values.fail(knobs.checksum, checksumName, S3Checksum.allowedNames) }
        self.init(
            bucket: bucket, region: region, endpoint: endpoint, credentials: credentials,
            pathStyle: try values.value(knobs.pathStyle), createBucket: try values.value(knobs.createBucket),
            multipartThreshold: try values.value(knobs.multipartThreshold), partSize: try values.value(knobs.partSize),
            requestTimeout: try values.value(knobs.requestTimeout), checksum: checksum
        )
        do { try validate() } catch { throw error.configurationError }
    }
}
