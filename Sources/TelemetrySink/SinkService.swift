import BlockingWork
import KafkaTransport
import Logging
import ObjectStorage
import RecordQueue
import ServiceLifecycle

/// What reads records for the sink: Kafka (``KafkaConsumerService``) or the in-process queue
/// (``QueueReader``).
protocol SinkReader: Sendable {
    func run() async throws
    func requestStop()
}

extension KafkaConsumerService: SinkReader {}

/// `netchaos sink` as a `Service`: a consumer group member that validates every record, batches
/// per partition, stores each batch as an object and commits its offsets only once it is stored.
/// Runs until graceful shutdown (then stores and commits what it holds), until stop-at-end, or
/// until a failure retrying cannot fix.
public final class SinkService: Service, Sendable {
    public let configuration: SinkConfiguration
    public let stats = SinkStats()
    private let reader: any SinkReader
    private let coordinator: SinkCoordinator
    private let uploader: BatchUploader
    private let queue = UploadQueue()
    private let store: any ObjectStore
    private let deadLetterProducer: KafkaProducer?
    private let reporter: SinkReporter
    private let logger: Logger

    /// - Parameters:
    ///   - deadLetterProducer: settings of the dead-letter topic's producer (required when the
    ///     configuration sends dead letters to Kafka).
    ///   - logInterval: seconds between progress lines; 0 for none.
    public convenience init(
        configuration: SinkConfiguration, consumer: KafkaConsumerConfiguration, store: any ObjectStore,
        deadLetterProducer: KafkaProducerConfiguration? = nil, logInterval: Double = 5, logger: Logger
    ) throws(KafkaError) {
        var deadLetters: KafkaProducer?
        if configuration.deadLetters.usesKafka {
            var producer = deadLetterProducer ?? KafkaProducerConfiguration(client: consumer.client)
            producer.topic = configuration.deadLetterTopic(for: consumer.topics.first ?? producer.topic)
            deadLetters = try KafkaProducer(configuration: producer, logger: logger)
        }
        var consumer = consumer
        // Read ahead enough that the poll thread never waits on librdkafka's fetcher (see
        // KafkaConsumerConfiguration.prefetchKilobytes): librdkafka 2.0 looks again only about a
        // second after its read-ahead was full (256 MB: 1.48-1.60x the records/s of 128 MB in the
        // sink bench, no faster with more). kafka.properties can still override.
        consumer.prefetchMessages = consumer.prefetchMessages ?? 1_000_000
        consumer.prefetchKilobytes = consumer.prefetchKilobytes ?? 256 * 1024
        try self.init(configuration: configuration, store: store, deadLetterProducer: deadLetters, logInterval: logInterval, logger: logger) {
            coordinator throws(KafkaError) in
            let service = try KafkaConsumerService(configuration: consumer, delegate: coordinator, logger: logger)
            return (service, service.consumer)
        }
    }

    /// A sink reading the in-process queue of `netchaos up` (dead letters go to the store).
    public convenience init(configuration: SinkConfiguration, queue: RecordQueue, store: any ObjectStore, logInterval: Double = 5, logger: Logger) {
        var configuration = configuration
        configuration.deadLetters = .store
        configuration.stopAtEnd = false
        self.init(configuration: configuration, store: store, deadLetterProducer: nil, logInterval: logInterval, logger: logger) { coordinator in
            let reader = QueueReader(queue: queue, coordinator: coordinator, logger: logger)
            return (reader, reader.sinkSource)
        }
    }

    private init<Failure: Error>(
        configuration: SinkConfiguration, store: any ObjectStore, deadLetterProducer: KafkaProducer?, logInterval: Double, logger: Logger,
        reader makeReader: (SinkCoordinator) throws(Failure) -> (any SinkReader, any SinkSource)
    ) throws(Failure) {
        self.configuration = configuration
        self.store = store
        self.logger = logger
        HeapTuning.keepLargeAllocations()
        self.deadLetterProducer = deadLetterProducer
        let pool = BufferPool(limitBytes: configuration.memoryBytes / 4)
        uploader = BatchUploader(
            store: store, configuration: configuration, queue: queue, stats: stats,
            deadLetterProducer: deadLetterProducer, pool: pool, logger: logger
        )
        coordinator = SinkCoordinator(
            configuration: configuration, queue: queue, stats: stats, uploader: uploader, pool: pool, logger: logger
        )
        reporter = SinkReporter(stats: stats, interval: logInterval, logger: logger)
        let (reader, source) = try makeReader(coordinator)
        self.reader = reader
        uploader.attach(source)
    }

    /// Asks the sink to finish what it holds and stop (as SIGTERM does).
    public func requestStop() { reader.requestStop() }

    /// Asks the sink to finish once every assigned partition is stored and committed up to its
    /// end (as `--stop-at-end` does from the start): for a producer in the same process that has
    /// finished.
    public func finishAtEnd() { coordinator.armStopAtEnd() }

    public func run() async throws {
        do {
            try await store.prepare()
        } catch {
            throw SinkError.store(error)
        }
        if let deadLetterProducer {
            do throws(KafkaError) {
                _ = try await DedicatedThread.run(named: "netchaos-dlq-connect") { () throws(KafkaError) in try deadLetterProducer.connect() }
            } catch {
                throw SinkError.kafka(error)
            }
        }
        logger.info("sink started", metadata: [
            "sink.store": .string(store.location), "sink.format": .string(configuration.format.rawValue),
            "sink.batch_size": .stringConvertible(configuration.batchSize), "sink.flush_interval_s": .stringConvertible(configuration.flushInterval),
            "sink.dlq": .string(configuration.deadLetters.rawValue),
        ])
        let clock = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<configuration.uploadConcurrency {
                group.addTask { [uploader] in await uploader.work() }
            }
            group.addTask { [reporter] in await reporter.run() }
            do {
                try await reader.run()
            } catch {
                queue.close()
                reporter.stop()
                throw error
            }
            queue.close()
            reporter.stop()
            try await group.waitForAll()
        }
        if let deadLetterProducer {
            await DedicatedThread.run(named: "netchaos-dlq-close") {
                _ = deadLetterProducer.flush()
                deadLetterProducer.close()
            }
        }
        reporter.finish(elapsed: clock.duration(to: .now), location: store.location)
        if let fatal = uploader.fatal { throw fatal }
        let unfinished = coordinator.unfinishedBatches
        if unfinished > 0 { throw SinkError.unfinished(batches: unfinished, seconds: configuration.shutdownTimeout) }
    }
}
