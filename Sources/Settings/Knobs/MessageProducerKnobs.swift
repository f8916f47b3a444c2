/// The message producer's YAML format, accepted as it is: its keys, each mapped to ours.
public struct MessageProducerKnobs: Sendable {
    public let producerMessageCount: Setting<String?> = Setting(
        "producer.message_count", env: "PRODUCER_MESSAGE_COUNT", .text("records >= 0; 0 = continuous (generator.count wins when both are set)"),
        help: "", shownDefault: "as generator.count")
    public let producerWorkers: Setting<String?> = Setting(
        "producer.workers", env: "PRODUCER_WORKERS", .text("1-256 (generator.workers wins)"),
        help: "", shownDefault: "as generator.workers")
    public let producerBufferSize: Setting<String?> = Setting(
        "producer.buffer_size", env: "PRODUCER_BUFFER_SIZE", .text("1-1048576 (generator.buffer_records wins)"),
        help: "", shownDefault: "as generator.buffer_records")
    public let outputDirectory: Setting<String?> = Setting(
        "output.directory", env: "OUTPUT_DIRECTORY", .text("a directory for the message producer's files: output.csv.filename and output.parquet.filename as output.format says (not with outputs)"),
        help: "", shownDefault: "none")
    public let outputCsvEnabled: Setting<String?> = Setting(
        "output.csv.enabled", env: "OUTPUT_CSV_ENABLED", .text("true or false: false leaves the CSV file out"),
        help: "", shownDefault: "true")
    public let outputCsvFilename: Setting<String?> = Setting(
        "output.csv.filename", env: "OUTPUT_CSV_FILENAME", .text("a file name in output.directory"),
        help: "", shownDefault: "<dataset>.csv")
    public let outputCsvBufferSize: Setting<String?> = Setting(
        "output.csv.buffer_size", env: "OUTPUT_CSV_BUFFER_SIZE", .text("records >= 1; accepted for the message producer, no effect (every output writes whole chunks)"),
        help: "", shownDefault: "none")
    public let outputParquetEnabled: Setting<String?> = Setting(
        "output.parquet.enabled", env: "OUTPUT_PARQUET_ENABLED", .text("true or false: false leaves the Parquet file out"),
        help: "", shownDefault: "true")
    public let outputParquetFilename: Setting<String?> = Setting(
        "output.parquet.filename", env: "OUTPUT_PARQUET_FILENAME", .text("a file name in output.directory"),
        help: "", shownDefault: "<dataset>.parquet")
    public let kafkaEnabled: Setting<String?> = Setting(
        "kafka.enabled", env: "KAFKA_ENABLED", .text("true or false: true adds a Kafka output (kafka.brokers, kafka.topic) when outputs names none"),
        help: "", shownDefault: "false")
    public let kafkaBatchSize: Setting<String?> = Setting(
        "kafka.batch_size", env: "KAFKA_BATCH_SIZE", .text("messages per batch, 1-1000000 (batch.num.messages)"),
        help: "", shownDefault: "10000 (librdkafka)")
    public let kafkaFlushFrequency: Setting<String?> = Setting(
        "kafka.flush_frequency", env: "KAFKA_FLUSH_FREQUENCY", .text("milliseconds 0-900000 (kafka.linger_ms wins)"),
        help: "", shownDefault: "as kafka.linger_ms")
    public let kafkaAsync: Setting<String?> = Setting(
        "kafka.async", env: "KAFKA_ASYNC", .text("true or false; accepted for the message producer: producing is always asynchronous, with every delivery report counted"),
        help: "", shownDefault: "true")
    public let metricsInterval: Setting<String?> = Setting(
        "metrics.interval", env: "METRICS_INTERVAL", .text("seconds >= 0 (log.interval_sec wins)"),
        help: "", shownDefault: "as log.interval_sec")
    public let metricsDetailed: Setting<String?> = Setting(
        "metrics.detailed", env: "METRICS_DETAILED", .text("true or false (log.detailed wins)"),
        help: "", shownDefault: "as log.detailed")

    public init() {}
}
