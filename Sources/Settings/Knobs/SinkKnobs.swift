/// `netchaos sink`: batching, storing, dead letters (`sink.*`). The defaults are
/// `SinkConfiguration`'s (a test checks that they agree).
public struct SinkKnobs: Sendable {
    public let store: Setting<String?> = Setting(
        "sink.store", env: "SINK_STORE", flag: "--store", .text("file:PATH or s3://BUCKET[/PREFIX]"),
        help: "Where objects go", shownDefault: "file:./netchaos-data, or s3 when an S3 endpoint, MINIO_ENDPOINT or AWS credentials are set")
    public let prefix: Setting<String> = Setting(
        "sink.prefix", env: "SINK_PREFIX", flag: "--prefix", default: "ingest", .text("a key prefix without leading /"),
        help: "Key prefix of valid-record objects")
    public let format: Setting<String> = Setting(
        "sink.format", env: "SINK_FORMAT", flag: "--format", default: "json.gz", .choice(["json.gz", "json.zst", "parquet"]),
        help: "Object format: NDJSON gzip, NDJSON zstd, or Parquet (zstd; dead letters stay json.gz)")
    public let compressionLevel: Setting<Int?> = Setting(
        "sink.compression_level", env: "SINK_COMPRESSION_LEVEL", flag: "--compression-level", .int(in: 1...19),
        help: "Compression level of the objects", shownDefault: "1 (gzip), 3 (zstd), 1 (parquet)", allowed: "gzip 1-12, zstd and parquet 1-19")
    public let batchSize: Setting<Int> = Setting(
        "sink.batch_size", env: "BATCH_SIZE", flag: "--batch-size", default: 2_000, .int(in: 1...10_000_000),
        help: "Records per object")
    public let batchBytes: Setting<Int> = Setting(
        "sink.batch_bytes", env: "BATCH_BYTES", flag: "--batch-bytes", default: 16 << 20, .size(in: 1 << 10...(2 << 30), example: "16MB"),
        help: "Uncompressed bytes per object")
    public let flushInterval: Setting<Double> = Setting(
        "sink.flush_interval", env: "FLUSH_INTERVAL_SEC", flag: "--flush-interval", default: 5, .duration,
        help: "Longest wait of a record before its batch is stored", aliases: ["FLUSH_INTERVAL"])
    public let memoryBytes: Setting<Int> = Setting(
        "sink.memory_bytes", env: "SINK_MEMORY_BYTES", flag: "--memory", default: 256 << 20, .size(in: 1 << 20...(64 << 30), example: "256MB"),
        help: "Memory for open and uploading batches; above it the largest batch flushes first and reading pauses")
    public let uploadConcurrency: Setting<Int> = Setting(
        "sink.upload_concurrency", env: "SINK_UPLOAD_CONCURRENCY", flag: "--upload-concurrency", default: 8, .int(in: 1...256),
        help: "Objects uploading at once (one per partition at a time)")
    public let retryInitial: Setting<Double> = Setting(
        "sink.retry_initial", env: "SINK_RETRY_INITIAL", default: 0.2, .duration,
        help: "First backoff after a failed upload (doubles, with jitter)")
    public let retryMax: Setting<Double> = Setting(
        "sink.retry_max", env: "SINK_RETRY_MAX", default: 30, .duration,
        help: "Longest backoff between upload attempts")
    public let dlq: Setting<String> = Setting(
        "sink.dlq", env: "SINK_DLQ", flag: "--dlq", default: "store", .choice(["store", "kafka", "both"]),
        help: "Dead letters: store (objects under dlq/), kafka (topic <topic>.dlq) or both")
    public let dlqTopic: Setting<String?> = Setting(
        "sink.dlq_topic", env: "SINK_DLQ_TOPIC", flag: "--dlq-topic", .text("a Kafka topic name"),
        help: "Dead-letter topic", shownDefault: "<topic>.dlq")
    public let shutdownTimeout: Setting<Double> = Setting(
        "sink.shutdown_timeout", env: "SINK_SHUTDOWN_TIMEOUT", default: 30, .duration,
        help: "How long SIGTERM waits for the last uploads")
    public let stopAtEnd: Setting<Bool> = Setting(
        "sink.stop_at_end", env: "SINK_STOP_AT_END", flag: "--stop-at-end", default: false, .bool,
        help: "Exit 0 once every assigned partition is stored and committed up to its end")

    public init() {}
}
