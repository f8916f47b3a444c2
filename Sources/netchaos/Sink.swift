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
struct Sink: AsyncParsableCommand, KnobOptions {
    static let knobSections = ["config", "sink", "kafka", "s3", "http", "log", "metrics"]

    static let configuration = CommandConfiguration(
        abstract: "Consume flow records from Kafka, validate them, and store them in batches in S3 or a directory; commit only what is stored.",
        discussion: """
            Environment names of the Python sink work as they are: KAFKA_BROKERS, KAFKA_TOPIC, KAFKA_GROUP_ID, \
            MINIO_ENDPOINT, MINIO_ACCESS_KEY, MINIO_SECRET_KEY, MINIO_BUCKET or MINIO_BUCKET_NAME, MINIO_SECURE, \
            BATCH_SIZE, FLUSH_INTERVAL_SEC or FLUSH_INTERVAL; so do AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, \
            AWS_REGION and AWS_ENDPOINT_URL. A bad value exits with status 2; a failure retrying cannot fix, with 1.
            """
    )

    @Option(parsing: .unconditional, help: .knob(Knobs.general.config)) var config: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.sink.store)) var store: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.sink.prefix)) var prefix: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.sink.format)) var format: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.sink.compressionLevel)) var compressionLevel: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.sink.batchSize)) var batchSize: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.sink.batchBytes)) var batchBytes: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.sink.flushInterval)) var flushInterval: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.sink.memoryBytes)) var memory: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.sink.uploadConcurrency)) var uploadConcurrency: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.sink.dlq)) var dlq: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.sink.dlqTopic)) var dlqTopic: String?
    @Flag(help: .knob(Knobs.sink.stopAtEnd)) var stopAtEnd = false
    @Option(parsing: .unconditional, help: .knob(Knobs.kafka.groupId)) var group: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.kafka.groupInstanceId)) var groupInstanceId: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.kafka.offsetReset)) var offsetReset: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.s3.bucket)) var bucket: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.s3.endpoint)) var s3Endpoint: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.s3.region)) var s3Region: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.s3.pathStyle)) var s3PathStyle: String?
    @OptionGroup(title: "Kafka") var kafka: KafkaClientOptions
    @OptionGroup(title: "HTTP server (/metrics)") var http: HTTPServerOptions
    @OptionGroup var checking: CheckOption
    @Option(parsing: .unconditional, help: .knob(Knobs.general.logInterval)) var logInterval: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.general.logLevel)) var logLevel: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.general.metricsPort)) var metricsPort: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.general.metricsHost)) var metricsHost: String?

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
            logInterval = try values.value(Knobs.general.logInterval)
            metrics = try MetricsEndpoint.from(reader)
            sink = try SinkConfiguration(config: reader)
            consumer = try KafkaConsumerConfiguration(config: reader)
            LoggingBootstrap.bootstrap(level: level)
            store = try StoreSettings.makeStore(location: sink.store, config: reader, logger: Logger(label: "netchaos.store"))
        } catch {
            throw CommandExit.status(for: error)
        }
        if checking.check {
            await store.shutdown()
            return checking.report("sink")
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
