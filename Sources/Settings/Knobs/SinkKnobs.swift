/// `netchaos sink`: batching, storing, dead letters (`sink.*`).
public struct SinkKnobs: Sendable {
    public let store: Setting<String?> = Setting(
        "sink.store", env: "SINK_STORE", flag: "--store", .text("file:PATH or s3://BUCKET[/PREFIX]"),
        help: "Where objects go: file:PATH or s3://BUCKET[/PREFIX]", shownDefault: "file:./netchaos-data, or s3 when an S3 endpoint, MINIO_ENDPOINT or AWS credentials are set")
    public let prefix: Setting<String?> = Setting(
        "sink.prefix", env: "SINK_PREFIX", flag: "--prefix", .text("object key prefix for valid records, without leading /"),
        help: "Key prefix of valid-record objects", shownDefault: "ingest")
    public let format: Setting<String?> = Setting(
        "sink.format", env: "SINK_FORMAT", flag: "--format", .text("json.gz (NDJSON gzip), json.zst (NDJSON zstd), parquet (zstd; dead letters stay json.gz)"),
        help: "Object format: json.gz, json.zst or parquet", shownDefault: "json.gz")
    public let compressionLevel: Setting<String?> = Setting(
        "sink.compression_level", env: "SINK_COMPRESSION_LEVEL", flag: "--compression-level", .text("gzip 1-12, zstd and parquet 1-19"),
        help: "Compression level of the objects", shownDefault: "1 (gzip), 3 (zstd), 1 (parquet)")
    public let batchSize: Setting<String?> = Setting(
        "sink.batch_size", env: "BATCH_SIZE", flag: "--batch-size", .text("records per object, 1-10000000"),
        help: "Records per object", shownDefault: "2000")
    public let batchBytes: Setting<String?> = Setting(
        "sink.batch_bytes", env: "BATCH_BYTES", flag: "--batch-bytes", .text("uncompressed bytes per object, 1KB-2GB"),
        help: "Uncompressed bytes per object", shownDefault: "16MB")
    public let flushInterval: Setting<String?> = Setting(
        "sink.flush_interval", env: "FLUSH_INTERVAL_SEC", flag: "--flush-interval", .text("a duration > 0: the oldest record of a batch waits at most this long"),
        help: "Longest wait of a record before its batch is stored", shownDefault: "5s", aliases: ["FLUSH_INTERVAL"])
    public let memoryBytes: Setting<String?> = Setting(
        "sink.memory_bytes", env: "SINK_MEMORY_BYTES", flag: "--memory", .text("bytes held by open and uploading batches, 1MB-64GB; above it the largest batch flushes first and reading pauses"),
        help: "Memory for open and uploading batches", shownDefault: "256MB")
    public let uploadConcurrency: Setting<String?> = Setting(
        "sink.upload_concurrency", env: "SINK_UPLOAD_CONCURRENCY", flag: "--upload-concurrency", .text("1-256 objects uploading at once (one per partition at a time)"),
        help: "Objects uploading at once", shownDefault: "8")
    public let retryInitial: Setting<String?> = Setting(
        "sink.retry_initial", env: "SINK_RETRY_INITIAL", .text("a duration: first backoff after a failed upload (doubles, with jitter)"),
        help: "", shownDefault: "200ms")
    public let retryMax: Setting<String?> = Setting(
        "sink.retry_max", env: "SINK_RETRY_MAX", .text("a duration: longest backoff between upload attempts"),
        help: "", shownDefault: "30s")
    public let dlq: Setting<String?> = Setting(
        "sink.dlq", env: "SINK_DLQ", flag: "--dlq", .text("store (objects under dlq/), kafka (topic <topic>.dlq), both"),
        help: "Dead letters: store (objects under dlq/), kafka (topic <topic>.dlq) or both", shownDefault: "store")
    public let dlqTopic: Setting<String?> = Setting(
        "sink.dlq_topic", env: "SINK_DLQ_TOPIC", flag: "--dlq-topic", .text("a Kafka topic name"),
        help: "Dead-letter topic", shownDefault: "<topic>.dlq")
    public let shutdownTimeout: Setting<String?> = Setting(
        "sink.shutdown_timeout", env: "SINK_SHUTDOWN_TIMEOUT", .text("a duration: how long SIGTERM waits for the last uploads"),
        help: "", shownDefault: "30s")
    public let stopAtEnd: Setting<String?> = Setting(
        "sink.stop_at_end", env: "SINK_STOP_AT_END", flag: "--stop-at-end", .text("true: exit 0 once every assigned partition is stored and committed up to its end"),
        help: "Exit 0 once every assigned partition is stored and committed up to its end", shownDefault: "false")

    public init() {}
}
