/// S3 and MinIO stores (`s3.*`).
public struct S3Knobs: Sendable {
    public let endpoint: Setting<String?> = Setting(
        "s3.endpoint", env: "AWS_ENDPOINT_URL_S3", flag: "--s3-endpoint", .text("http(s)://host[:port], or host:port (MinIO style, https when s3.secure)"),
        help: "S3 endpoint: http(s)://host[:port] or host:port", shownDefault: "AWS: https://s3.<region>.amazonaws.com", aliases: ["AWS_ENDPOINT_URL", "MINIO_ENDPOINT"])
    public let secure: Setting<String?> = Setting(
        "s3.secure", env: "MINIO_SECURE", .text("true or false: https for a host:port endpoint"),
        help: "", shownDefault: "false")
    public let region: Setting<String?> = Setting(
        "s3.region", env: "AWS_REGION", flag: "--s3-region", .text("an AWS region name"),
        help: "Region", shownDefault: "us-east-1", aliases: ["AWS_DEFAULT_REGION"])
    public let bucket: Setting<String?> = Setting(
        "s3.bucket", env: "MINIO_BUCKET", flag: "--bucket", .text("3-63 of a-z 0-9 . -"),
        help: "Bucket", shownDefault: "telemetry-data", aliases: ["MINIO_BUCKET_NAME", "S3_BUCKET"])
    public let accessKeyId: Setting<String?> = Setting(
        "s3.access_key_id", env: "AWS_ACCESS_KEY_ID", .text("an access key id"),
        help: "", shownDefault: "none", aliases: ["MINIO_ACCESS_KEY"])
    public let secretAccessKey: Setting<String?> = Setting(
        "s3.secret_access_key", env: "AWS_SECRET_ACCESS_KEY", .secret("a secret key (secret, never logged)"),
        help: "", shownDefault: "none", aliases: ["MINIO_SECRET_KEY"], isSecret: true)
    public let sessionToken: Setting<String?> = Setting(
        "s3.session_token", env: "AWS_SESSION_TOKEN", .secret("a session token (secret, never logged)"),
        help: "", shownDefault: "none", isSecret: true)
    public let pathStyle: Setting<String?> = Setting(
        "s3.path_style", env: "S3_PATH_STYLE", flag: "--s3-path-style", .text("true (endpoint/bucket/key) or false (bucket.endpoint/key)"),
        help: "true: endpoint/bucket/key; false: bucket.endpoint/key", shownDefault: "true with a custom endpoint, else false")
    public let createBucket: Setting<String?> = Setting(
        "s3.create_bucket", env: "S3_CREATE_BUCKET", .text("true or false: create the bucket when it is missing"),
        help: "", shownDefault: "true")
    public let multipartThreshold: Setting<String?> = Setting(
        "s3.multipart_threshold", env: "S3_MULTIPART_THRESHOLD", .text("objects at least this large upload in parts; 1MB-5GB (below the part size: one part)"),
        help: "", shownDefault: "16MB")
    public let partSize: Setting<String?> = Setting(
        "s3.part_size", env: "S3_PART_SIZE", .text("5MB-5GB"),
        help: "", shownDefault: "8MB")
    public let checksum: Setting<String?> = Setting(
        "s3.checksum", env: "S3_CHECKSUM", .text("crc32 (x-amz-checksum-crc32) or md5 (Content-MD5): what a PUT carries for the store to verify"),
        help: "", shownDefault: "crc32")
    public let requestTimeout: Setting<String?> = Setting(
        "s3.request_timeout", env: "S3_REQUEST_TIMEOUT", .text("a duration: one HTTP request to the store"),
        help: "", shownDefault: "30s")

    public init() {}
}
