#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Configuration
import HTTPServing
import KafkaTransport
import Logging
import Observability
import ObjectStorage
import ServiceLifecycle
import Settings
import TelemetrySink
import TransportSettings

/// `netchaos sink`: Kafka to object storage, validated, batched, stored, then committed.
struct Sink: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Consume flow records from Kafka, validate them, and store them in batches in S3 or a directory; commit only what is stored.",
        discussion: """
            Environment names of the Python sink work as they are: KAFKA_BROKERS, KAFKA_TOPIC, KAFKA_GROUP_ID, \
            MINIO_ENDPOINT, MINIO_ACCESS_KEY, MINIO_SECRET_KEY, MINIO_BUCKET or MINIO_BUCKET_NAME, MINIO_SECURE, \
            BATCH_SIZE, FLUSH_INTERVAL_SEC or FLUSH_INTERVAL; so do AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, \
            AWS_REGION and AWS_ENDPOINT_URL. A bad value exits with status 2; a failure retrying cannot fix, with 1.
            """
    )

    @Option(parsing: .unconditional, help: "YAML configuration file (env NETCHAOS_CONFIG).") var config: String?
    @Option(parsing: .unconditional, help: "Where objects go: file:PATH or s3://BUCKET[/PREFIX] (default file:./netchaos-data, or S3 when MINIO_ENDPOINT or AWS settings are given).") var store: String?
    @Option(parsing: .unconditional, help: "Key prefix of valid-record objects (default ingest).") var prefix: String?
    @Option(parsing: .unconditional, help: "Object format: json.gz, json.zst or parquet (default json.gz).") var format: String?
    @Option(parsing: .unconditional, help: "Compression level (gzip 1-12, default 1; zstd 1-19, default 3; parquet's zstd 1-19, default 1).") var compressionLevel: String?
    @Option(parsing: .unconditional, help: "Records per object (env BATCH_SIZE, default 2000).") var batchSize: String?
    @Option(parsing: .unconditional, help: "Uncompressed bytes per object (env BATCH_BYTES, default 16MB).") var batchBytes: String?
    @Option(parsing: .unconditional, help: "Longest wait of a record before its batch is stored (env FLUSH_INTERVAL_SEC, default 5s).") var flushInterval: String?
    @Option(parsing: .unconditional, help: "Memory for open and uploading batches (default 256MB).") var memory: String?
    @Option(parsing: .unconditional, help: "Objects uploading at once (default 8).") var uploadConcurrency: String?
    @Option(parsing: .unconditional, help: "Dead letters: store (objects under dlq/), kafka (topic <topic>.dlq) or both (default store).") var dlq: String?
    @Option(parsing: .unconditional, help: "Dead-letter topic (default <topic>.dlq).") var dlqTopic: String?
    @Flag(help: "Exit 0 once every assigned partition is stored and committed up to its end.") var stopAtEnd = false
    @Option(parsing: .unconditional, help: "Consumer group (env KAFKA_GROUP_ID, default telemetry-sink-group).") var group: String?
    @Option(parsing: .unconditional, help: "Static group membership id (env KAFKA_GROUP_INSTANCE_ID): auto (default: from the host, group, topic and store, and a free slot on the host), none, or an id.") var groupInstanceId: String?
    @Option(name: .customLong("offset-reset"), parsing: .unconditional, help: "Where a new group starts: earliest or latest (default earliest).") var offsetReset: String?
    @Option(parsing: .unconditional, help: "Bucket (env MINIO_BUCKET / MINIO_BUCKET_NAME, default telemetry-data).") var bucket: String?
    @Option(name: .customLong("s3-endpoint"), parsing: .unconditional, help: "S3 endpoint: http(s)://host[:port] or host:port (env AWS_ENDPOINT_URL_S3, MINIO_ENDPOINT).") var s3Endpoint: String?
    @Option(name: .customLong("s3-region"), parsing: .unconditional, help: "Region (env AWS_REGION, default us-east-1).") var s3Region: String?
    @Option(name: .customLong("s3-path-style"), parsing: .unconditional, help: "true: endpoint/bucket/key; false: bucket.endpoint/key.") var s3PathStyle: String?
    @OptionGroup(title: "Kafka") var kafka: KafkaClientOptions
    @OptionGroup(title: "HTTP server (/metrics)") var http: HTTPServerOptions
    @Option(parsing: .unconditional, help: "Seconds between progress log lines; 0 = none (default 5).") var logInterval: String?
    @Option(parsing: .unconditional, help: "Log level: trace, debug, info, notice, warning, error, critical.") var logLevel: String?
    @Option(parsing: .unconditional, help: "Serve Prometheus metrics at GET /metrics on this port (env METRICS_PORT; default none).") var metricsPort: String?
    @Option(parsing: .unconditional, help: "Address for the metrics server (env METRICS_HOST, default 0.0.0.0).") var metricsHost: String?

    var flagValues: [String: ConfigContent] {
        var values: [String: ConfigContent] = [:]
        let strings: [(String, String?)] = [
            ("sink.store", store), ("sink.prefix", prefix), ("sink.format", format), ("sink.compression_level", compressionLevel),
            ("sink.batch_size", batchSize), ("sink.batch_bytes", batchBytes), ("sink.flush_interval", flushInterval),
            ("sink.memory_bytes", memory), ("sink.upload_concurrency", uploadConcurrency), ("sink.dlq", dlq),
            ("sink.dlq_topic", dlqTopic), ("sink.stop_at_end", stopAtEnd ? "true" : nil), ("kafka.group_id", group), ("kafka.group_instance_id", groupInstanceId),
            ("kafka.offset_reset", offsetReset), ("s3.bucket", bucket), ("s3.endpoint", s3Endpoint), ("s3.region", s3Region),
            ("s3.path_style", s3PathStyle), ("log.interval_sec", logInterval), ("log.level", logLevel), ("metrics.port", metricsPort), ("metrics.host", metricsHost),
        ]
        for case let (key, value?) in strings { values[key] = .string(value) }
        values.merge(kafka.flagValues) { $1 }
        values.merge(http.flagValues) { $1 }
        return values
    }

    func run() async throws {
        signal(SIGPIPE, SIG_IGN)
        let sink: SinkConfiguration
        var consumer: KafkaConsumerConfiguration
        let store: any ObjectStore
        let level: Logger.Level
        let logInterval: Double
        let metrics: MetricsEndpoint?
        do throws(ConfigurationError) {
            let reader = try await ConfigurationLoader.reader(flags: flagValues, kafkaProperties: kafka.properties, configFile: config)
            let values = ConfigValues(reader)
            level = try Generate.logLevel(values)
            logInterval = try values.double("log.interval_sec", in: 0...86_400) ?? 5
            metrics = try MetricsEndpoint.from(reader)
            let hasS3 = ["s3.endpoint", "s3.access_key_id", "s3.bucket"].contains { values.string($0) != nil }
            sink = try SinkConfiguration(config: reader, hasS3Settings: hasS3)
            consumer = try KafkaConsumerConfiguration(config: reader)
            LoggingBootstrap.bootstrap(level: level)
            store = try StoreSettings.makeStore(location: sink.store, config: reader, logger: Logger(label: "netchaos.store"))
        } catch {
            throw CommandExit.status(for: error)
        }
        let logger = Logger(label: "netchaos.sink")
        if consumer.groupInstance == .automatic, let membership = StaticMembership.claim(group: consumer.groupID, topics: consumer.topics, store: store.location) {
            // Held for the process's life: a sink restarted after a crash gets the same id back.
            consumer.groupInstance = .named(membership.instanceID)
        }
        if let instance = consumer.groupInstanceID {
            logger.info("static group membership", metadata: ["kafka.group_instance_id": .string(instance)])
        }
        _ = MetricsExposition.shared
        let service: SinkService
        do throws(KafkaError) {
            service = try SinkService(configuration: sink, consumer: consumer, store: store, logInterval: logInterval, logger: logger)
        } catch {
            await store.shutdown()
            throw CommandExit.status(for: error)
        }
        var failure: (any Error)?
        do {
            if let metrics {
                let sinkMetrics = SinkMetrics(stats: service.stats)
                try await ServiceRunner.run(primary: service, alongside: [metrics.server(collector: { sinkMetrics.update() }, logger: logger)])
            } else {
                try await ServiceRunner.run(service)
            }
        } catch {
            failure = error
        }
        await store.shutdown()
        if let failure { throw CommandExit.status(for: failure, servers: [metrics?.configuration].compactMap { $0 }) }
    }
}
