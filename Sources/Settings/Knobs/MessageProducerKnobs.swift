/// The message producer's YAML format, accepted as it is: its keys, each translated to ours
/// (`MessageProducerFormat`); where both are set, ours win.
public struct MessageProducerKnobs: Sendable {
    public let messageCount: Setting<UInt64?> = Setting(
        "producer.message_count", env: "PRODUCER_MESSAGE_COUNT", .count,
        help: "As generator.count (which wins when both are set)", shownDefault: "as generator.count")
    public let workers: Setting<Int?> = Setting(
        "producer.workers", env: "PRODUCER_WORKERS", .int(in: 1...256),
        help: "As generator.workers (which wins)", shownDefault: "as generator.workers")
    public let bufferSize: Setting<Int?> = Setting(
        "producer.buffer_size", env: "PRODUCER_BUFFER_SIZE", .int(in: 1...1_048_576),
        help: "As generator.buffer_records (which wins)", shownDefault: "as generator.buffer_records")
    public let outputDirectory: Setting<String?> = Setting(
        "output.directory", env: "OUTPUT_DIRECTORY", .text("a directory (not with outputs)"),
        help: "A directory for the message producer's files: output.csv.filename and output.parquet.filename as output.format says",
        shownDefault: "none")
    public let csvEnabled: Setting<Bool> = Setting(
        "output.csv.enabled", env: "OUTPUT_CSV_ENABLED", default: true, .bool,
        help: "false leaves the CSV file out")
    public let csvFilename: Setting<String?> = Setting(
        "output.csv.filename", env: "OUTPUT_CSV_FILENAME", .text("a file name in output.directory"),
        help: "The CSV file's name", shownDefault: "<dataset>.csv")
    public let csvBufferSize: Setting<Int?> = Setting(
        "output.csv.buffer_size", env: "OUTPUT_CSV_BUFFER_SIZE", .int(in: 1...Int.max),
        help: "Accepted, no effect (every output writes whole chunks)", shownDefault: "none")
    public let parquetEnabled: Setting<Bool> = Setting(
        "output.parquet.enabled", env: "OUTPUT_PARQUET_ENABLED", default: true, .bool,
        help: "false leaves the Parquet file out")
    public let parquetFilename: Setting<String?> = Setting(
        "output.parquet.filename", env: "OUTPUT_PARQUET_FILENAME", .text("a file name in output.directory"),
        help: "The Parquet file's name", shownDefault: "<dataset>.parquet")
    public let kafkaEnabled: Setting<Bool> = Setting(
        "kafka.enabled", env: "KAFKA_ENABLED", default: false, .bool,
        help: "true adds a Kafka output (kafka.brokers, kafka.topic) when outputs names none")
    public let kafkaBatchSize: Setting<Int?> = Setting(
        "kafka.batch_size", env: "KAFKA_BATCH_SIZE", .int(in: 1...1_000_000),
        help: "Messages per batch (librdkafka's batch.num.messages)", shownDefault: "10000 (librdkafka)")
    public let kafkaFlushFrequency: Setting<Int?> = Setting(
        "kafka.flush_frequency", env: "KAFKA_FLUSH_FREQUENCY", .int(in: 0...900_000),
        help: "Milliseconds, as kafka.linger_ms (which wins)", shownDefault: "as kafka.linger_ms")
    public let kafkaAsync: Setting<Bool?> = Setting(
        "kafka.async", env: "KAFKA_ASYNC", .bool,
        help: "Accepted: producing is always asynchronous, with every delivery report counted", shownDefault: "true")
    public let metricsInterval: Setting<Double?> = Setting(
        "metrics.interval", env: "METRICS_INTERVAL", .number(in: 0...86_400),
        help: "Seconds, as log.interval_sec (which wins)", shownDefault: "as log.interval_sec")
    public let metricsDetailed: Setting<Bool?> = Setting(
        "metrics.detailed", env: "METRICS_DETAILED", .bool,
        help: "As log.detailed (which wins)", shownDefault: "as log.detailed")

    public init() {}
}
