/// S3 and MinIO stores (`s3.*`). The defaults are `S3Configuration`'s (a test checks that they agree).
public struct S3Knobs: Sendable {
    public let endpoint: Setting<String?> = Setting(
        "s3.endpoint", env: "AWS_ENDPOINT_URL_S3", flag: "--s3-endpoint", .text("http(s)://host[:port], or host:port (MinIO style, https when s3.secure)"),
        help: "S3 endpoint", shownDefault: "AWS: https://s3.<region>.amazonaws.com", aliases: ["AWS_ENDPOINT_URL", "MINIO_ENDPOINT"])
    public let secure: Setting<Bool> = Setting(
        "s3.secure", env: "MINIO_SECURE", default: false, .bool,
        help: "https for a host:port endpoint")
    public let region: Setting<String> = Setting(
        "s3.region", env: "AWS_REGION", flag: "--s3-region", default: "us-east-1", .text("an AWS region name"),
        help: "Region", aliases: ["AWS_DEFAULT_REGION"])
    public let bucket: Setting<String> = Setting(
        "s3.bucket", env: "MINIO_BUCKET", flag: "--bucket", default: "telemetry-data", .text("3-63 of a-z 0-9 . -"),
        help: "Bucket", aliases: ["MINIO_BUCKET_NAME", "S3_BUCKET"])
    public let accessKeyId: Setting<String?> = Setting(
        "s3.access_key_id", env: "AWS_ACCESS_KEY_ID", .text("an access key id"),
        help: "Access key id (required for S3)", shownDefault: "none", aliases: ["MINIO_ACCESS_KEY"])
    public let secretAccessKey: Setting<String?> = Setting(
        "s3.secret_access_key", env: "AWS_SECRET_ACCESS_KEY", .secret("a secret key (secret, never logged)"),
        help: "Secret key (required for S3)", shownDefault: "none", aliases: ["MINIO_SECRET_KEY"], isSecret: true)
    public let sessionToken: Setting<String?> = Setting(
        "s3.session_token", env: "AWS_SESSION_TOKEN", .secret("a session token (secret, never logged)"),
        help: "Session token of temporary credentials", shownDefault: "none", isSecret: true)
    public let pathStyle: Setting<Bool?> = Setting(
        "s3.path_style", env: "S3_PATH_STYLE", flag: "--s3-path-style", .bool,
        help: "true: endpoint/bucket/key; false: bucket.endpoint/key", shownDefault: "true with a custom endpoint, else false")
    public let createBucket: Setting<Bool> = Setting(
        "s3.create_bucket", env: "S3_CREATE_BUCKET", default: true, .bool,
        help: "Create the bucket when it is missing")
    public let multipartThreshold: Setting<Int> = Setting(
        "s3.multipart_threshold", env: "S3_MULTIPART_THRESHOLD", default: 16 << 20, .size(in: 1 << 20...5 << 30, example: "16MB"),
        help: "Objects at least this large upload in parts (below the part size: one part)")
    public let partSize: Setting<Int> = Setting(
        "s3.part_size", env: "S3_PART_SIZE", default: 8 << 20, .size(in: 5 << 20...5 << 30, example: "8MB"),
        help: "Size of each part of a multipart upload")
    public let checksum: Setting<String> = Setting(
        "s3.checksum", env: "S3_CHECKSUM", default: "crc32", .choice(["crc32", "md5"]),
        help: "What a PUT carries for the store to verify: crc32 (x-amz-checksum-crc32) or md5 (Content-MD5)")
    public let requestTimeout: Setting<Double> = Setting(
        "s3.request_timeout", env: "S3_REQUEST_TIMEOUT", default: 30, .duration,
        help: "Longest time one HTTP request to the store may take")

    public init() {}
}
