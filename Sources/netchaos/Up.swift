#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Configuration
import Foundation
import GeneratorRuntime
import HTTPServing
import Hummingbird
import Ingester
import KafkaTransport
import Logging
import Observability
import ObjectStorage
import Pipeline
import Reconciliation
import RecordQueue
import ServiceLifecycle
import Settings
import TelemetrySink

/// `netchaos up`: the whole pipeline in one process. Flow events go through an in-process queue
/// (or Kafka, with KAFKA_BROKERS) to the sink and into a directory (or S3); switch metrics are
/// pushed to the ingester (memory, or Redis with REDIS_URL); one port serves the live page, the
/// ingester's API and /metrics.
struct Up: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the whole pipeline in one process: flows to storage through the sink, switch metrics to the ingester, a live page.",
        discussion: """
            With no servers: an in-process queue, a local directory (./netchaos-data), metrics in memory. \
            KAFKA_BROKERS, S3 settings (MINIO_ENDPOINT, AWS_*) and REDIS_URL make the same topology use them. \
            Every generate, sink and ingest setting applies (EPS_TARGET, BATCH_SIZE, ...).
            """
    )

    @Option(parsing: .unconditional, help: "YAML configuration file (env NETCHAOS_CONFIG).") var config: String?
    @Option(parsing: .unconditional, help: "Address to listen on (env UP_HOST, default 0.0.0.0).") var host: String?
    @Option(parsing: .unconditional, help: "Port of the live page, /metrics and the ingester API (env UP_PORT, default 8080; 0 picks one).") var port: String?
    @Option(parsing: .unconditional, help: "Flow events per second (env EPS_TARGET, default 5000; max = as fast as possible).") var rate: String?
    @Option(parsing: .unconditional, help: "Stop after this long (500ms, 30s, 5m); default: until Ctrl-C.") var duration: String?
    @Option(parsing: .unconditional, help: "Random seed (env NETCHAOS_SEED).") var seed: String?
    @Option(parsing: .unconditional, help: "Where the sink stores objects: file:PATH or s3://BUCKET[/PREFIX] (default file:./netchaos-data).") var store: String?
    @Option(parsing: .unconditional, help: "Records per object (env BATCH_SIZE, default 2000).") var batchSize: String?
    @Option(parsing: .unconditional, help: "Longest wait of a record before its batch is stored (env FLUSH_INTERVAL_SEC, default 5s).") var flushInterval: String?
    @Option(parsing: .unconditional, help: "Switches sw1..swN (env SWITCH_COUNT, default 100).") var switches: String?
    @Option(parsing: .unconditional, help: "Seconds between switch snapshots (default 2s here).") var snapshotInterval: String?
    @Option(parsing: .unconditional, help: "Partitions of the in-process queue (env UP_PARTITIONS, default 4).") var partitions: String?
    @Option(parsing: .unconditional, help: "Records the in-process queue holds (env UP_QUEUE_BYTES, default 64MB).") var queueBytes: String?
    @Option(parsing: .unconditional, help: "How often to account for every flow record in the store (default 5s; 0 or off: never).") var reconcileInterval: String?
    @Option(parsing: .unconditional, help: "Seconds between progress log lines; 0 = none (default 5).") var logInterval: String?
    @Option(parsing: .unconditional, help: "Log level: trace, debug, info, notice, warning, error, critical.") var logLevel: String?
    @OptionGroup(title: "HTTP server") var http: HTTPServerOptions
    @OptionGroup(title: "What the ingester accepts") var accepts: IngestOptions

    var flagValues: [String: ConfigContent] {
        var values: [String: ConfigContent] = [:]
        let strings: [(String, String?)] = [
            ("up.host", host), ("up.port", port), ("generator.eps_target", rate), ("generator.duration", duration), ("generator.seed", seed),
            ("sink.store", store), ("sink.batch_size", batchSize), ("sink.flush_interval", flushInterval), ("generator.switches", switches),
            ("generator.snapshot_interval", snapshotInterval), ("up.partitions", partitions), ("up.queue_bytes", queueBytes),
            ("log.interval_sec", logInterval), ("log.level", logLevel), ("up.reconcile_interval", reconcileInterval),
        ]
        for case let (key, value?) in strings { values[key] = .string(value) }
        values.merge(http.flagValues) { $1 }
        values.merge(accepts.flagValues) { $1 }
        return values
    }

    /// Everything `up` reads, checked before anything starts.
    struct Plan {
        var host: String
        var port: Int
        var partitions: Int
        var queueBytes: Int
        var flows: GeneratorConfiguration
        var switches: GeneratorConfiguration
        var sink: SinkConfiguration
        var consumer: KafkaConsumerConfiguration?
        var ingest: IngestConfiguration
        var server: HTTPServerConfiguration
        var level: Logger.Level
        var logInterval: Double
        /// Seconds between reconciliation passes; nil: none.
        var reconcileInterval: Double?
        var reader: ConfigReader
    }

    func plan() async throws(ConfigurationError) -> Plan {
        let reader = try await ConfigurationLoader.reader(flags: flagValues, configFile: config)
        let values = ConfigValues(reader)
        let level = try Generate.logLevel(values)
        let logInterval = try values.double("log.interval_sec", in: 0...86_400) ?? 5
        if values.isBlankList("kafka.brokers") {
            throw ConfigurationError(key: "kafka.brokers", value: values.reader.string(forKey: "kafka.brokers") ?? "", allowed: "at least one host:port, or unset for the in-process queue")
        }
        let usesKafka = values.string("kafka.brokers") != nil

        var flowFlags = flagValues
        flowFlags["generator.dataset"] = .string("flow")
        flowFlags["outputs"] = .stringArray([usesKafka ? "kafka" : "-"])
        let (flowReader, document) = try await ConfigurationLoader.load(flags: flowFlags, configFile: config)
        var flows = try GeneratorConfiguration(config: flowReader, document: document)
        flows.outputs = [OutputSpec(destination: usesKafka ? .kafka(brokers: nil, topic: nil) : .queue, format: .jsonl)]
        flows.progress = .off
        // POST /api/incidents starts scenario entries while the pipeline runs.
        flows.liveIncidentSlots = 32

        var switchFlags = flagValues
        switchFlags["generator.dataset"] = .string("switch")
        switchFlags["outputs"] = .stringArray(["-"])
        switchFlags["generator.eps_target"] = nil
        switchFlags["generator.time_rate"] = nil
        if values.string("generator.snapshot_interval") == nil { switchFlags["generator.snapshot_interval"] = .string("2s") }
        var switches = try GeneratorConfiguration(config: try await ConfigurationLoader.reader(flags: switchFlags, configFile: config))
        // Switch snapshots in real time, whatever rate the flows have.
        switches.rate = Double(switches.switchFleet.count) / switches.switchFleet.interval
        switches.timeRate = switches.rate ?? switches.timeRate
        switches.generatorID = String((flows.generatorID + "-switches").prefix(64))
        switches.progress = .off
        switches.logInterval = 0

        let hasS3 = ["s3.endpoint", "s3.access_key_id", "s3.bucket"].contains { values.string($0) != nil }
        let sink = try SinkConfiguration(config: reader, hasS3Settings: hasS3)
        var reconcileInterval: Double? = 5
        if let text = values.string("up.reconcile_interval"), ["0", "off", "none"].contains(text.lowercased()) {
            reconcileInterval = nil
        } else if let interval = try values.duration("up.reconcile_interval") {
            guard (0.1...3_600).contains(interval) else {
                throw ConfigurationError(key: "up.reconcile_interval", value: values.string("up.reconcile_interval") ?? "", allowed: "100ms to 1h, or 0/off")
            }
            reconcileInterval = interval
        }
        // Dead letters are read back from the store: with them in a Kafka topic alone no pass sees
        // them. (Without Kafka they always go to the store.)
        if usesKafka && !sink.deadLetters.usesStore { reconcileInterval = nil }
        flows.keepsManifest = reconcileInterval != nil
        let host = values.string("up.host") ?? "0.0.0.0"
        let port = try values.int("up.port", in: 0...65_535) ?? 8080
        let ingest = try IngestConfiguration(config: reader)
        let server = try HTTPServerConfiguration.forIngest(ingest, config: reader, host: host, port: port, hostKey: "up.host", portKey: "up.port")
        return Plan(
            host: host, port: port,
            partitions: try values.int("up.partitions", in: 1...256) ?? 4,
            queueBytes: try values.size("up.queue_bytes", in: (1 << 20)...(16 << 30), example: "64MB") ?? 64 << 20,
            flows: flows, switches: switches, sink: sink, consumer: usesKafka ? try KafkaConsumerConfiguration(config: reader) : nil,
            ingest: ingest, server: server, level: level, logInterval: logInterval, reconcileInterval: reconcileInterval, reader: reader
        )
    }

    func run() async throws {
        signal(SIGPIPE, SIG_IGN)
        let plan: Plan
        let store: any ObjectStore
        do throws(ConfigurationError) {
            plan = try await self.plan()
            LoggingBootstrap.bootstrap(level: plan.level)
            store = try ObjectStoreFactory.makeStore(location: plan.sink.store, config: plan.reader, logger: Logger(label: "netchaos.store"))
        } catch {
            Console.printError(error.description)
            throw ExitCode(2)
        }
        let logger = Logger(label: "netchaos.up")
        let exposition = MetricsExposition.shared

        // Flows: generator -> queue (or Kafka) -> sink -> store.
        let queue = plan.consumer == nil
            ? RecordQueue(
                topic: plan.flows.kafka.topic, partitions: plan.partitions, capacityBytes: plan.queueBytes,
                firstOffset: Int64(Date().timeIntervalSince1970 * 1e9)
            )
            : nil
        let flows = GeneratorService(configuration: plan.flows, logger: Logger(label: "netchaos.generate"), queue: queue, incidents: IncidentBoard())
        let sink: SinkService
        if let queue {
            if plan.sink.deadLetters.usesKafka {
                logger.warning("setting has no effect", metadata: [
                    "note": "sink.dlq=\(plan.sink.deadLetters.rawValue): without KAFKA_BROKERS there is no dead-letter topic; dead letters go to the store (dlq/)",
                ])
            }
            sink = SinkService(configuration: plan.sink, queue: queue, store: store, logInterval: plan.logInterval, logger: Logger(label: "netchaos.sink"))
        } else {
            do throws(KafkaError) {
                sink = try SinkService(
                    configuration: plan.sink, consumer: plan.consumer!, store: store, logInterval: plan.logInterval, logger: Logger(label: "netchaos.sink")
                )
            } catch {
                await store.shutdown()
                Console.printError(error.description)
                throw ExitCode(1)
            }
        }

        // Switch metrics: generator -> POST to our own port -> ingester store.
        let (metricStore, redisClient) = MetricStoreFactory.make(plan.ingest, logger: Logger(label: "netchaos.ingest"))
        defer { redisClient?.close() }
        do throws(MetricStoreStartup.Failure) {
            // Redis refusing the password or database exits 1; Redis away is waited for (503 meanwhile).
            try await MetricStoreStartup.start(metricStore, logger: Logger(label: "netchaos.ingest"))
        } catch {
            await store.shutdown()
            Console.printError(error.description)
            throw ExitCode(1)
        }
        if plan.consumer != nil && !plan.sink.deadLetters.usesStore {
            logger.notice("no reconciliation", metadata: ["note": "sink.dlq=kafka: dead letters are not in the store, so up cannot account for every record (use sink.dlq=both)"])
        }
        var reconciliation: UpReconciliation?
        if let interval = plan.reconcileInterval, let manifest = flows.manifest {
            reconciliation = UpReconciliation(
                manifest: manifest, store: store, deadLetterPrefix: plan.sink.deadLetterPrefix, interval: interval,
                logger: Logger(label: "netchaos.reconcile")
            )
        }
        let board = LiveBoard(generator: flows, sinkStats: sink.stats, store: metricStore, reconciliation: reconciliation)
        let generatorMetrics = GeneratorMetrics(service: flows)
        let sinkMetrics = SinkMetrics(stats: sink.stats)
        let ingestMetrics = IngestMetrics(store: metricStore)
        exposition.addCollector {
            generatorMetrics.update()
            sinkMetrics.update()
            await ingestMetrics.update()
        }
        let router = IngestRouter.build(
            store: metricStore, configuration: plan.ingest, stats: IngestStats(store: metricStore.name), logger: Logger(label: "netchaos.ingest")
        )
        MetricsServer.route(to: router)
        LiveRoutes.add(to: router, board: board)
        IncidentRoutes.add(to: router, generator: flows, token: plan.ingest.token)
        let listening = ListeningPort()
        let host = plan.host
        let server: Application<TokenGatedResponder<BasicRequestContext>>
        do throws(ConfigurationError) {
            server = try HTTPServer.application(router: router, configuration: plan.server, serverName: "netchaos-up") { channel in
                let port = channel.localAddress?.port ?? plan.port
                logger.info("up listening", metadata: [
                    "http.port": .stringConvertible(port), "http.address": .string(host),
                    "up.page": .string("\(plan.server.scheme)://\(host == "0.0.0.0" ? "localhost" : host):\(port)/"),
                    "up.queue": .string(queue.map { "in-process, \($0.partitions) partitions" } ?? "kafka"),
                    "sink.store": .string(store.location), "ingest.store": .string(metricStore.name),
                ])
                listening.set(port)
            }
        } catch {
            Console.printError(error.description)
            throw ExitCode(2)
        }
        let switchGenerator = AfterListening(port: listening) { [plan] port in
            var switchConfiguration = plan.switches
            // The switch generator posts to this same port: over HTTPS with TLS on, trusting only
            // the server's own certificate (whatever names it carries), with the write token.
            switchConfiguration.outputs = [OutputSpec(destination: .http(url: "\(plan.server.scheme)://127.0.0.1:\(port)"), format: .jsonl)]
            switchConfiguration.httpToken = plan.ingest.token
            switchConfiguration.httpCAFile = plan.server.tls?.certificate
            switchConfiguration.httpVerifiesHostname = false
            return GeneratorService(configuration: switchConfiguration, logger: Logger(label: "netchaos.switches"))
        }

        let stopping = StopLatch()
        let lifecycle = Logger(label: "netchaos.lifecycle", factory: { _ in SwiftLogNoOpLogHandler() })
        let group = ServiceGroup(
            configuration: .init(
                // Shutdown goes from the last to the first: the generators stop (the flow generator
                // closes the queue), the sink stores and commits everything queued, then the page and
                // the server go. The pipeline is done when the sink has stored everything.
                // The reconciliation's last pass (the verdict) comes after the sink has stored everything.
                services: [
                    .init(service: server, successTerminationBehavior: .ignore, failureTerminationBehavior: .gracefullyShutdownGroup),
                ] + (reconciliation.map { [.init(service: $0, successTerminationBehavior: .ignore)] } ?? []) + [
                    .init(service: board, successTerminationBehavior: .ignore),
                    .init(service: SinkThenClose(sink: sink, queue: queue, stopping: stopping), successTerminationBehavior: .gracefullyShutdownGroup),
                    .init(service: ThenFinishSink(generator: flows, sink: sink, stopping: stopping), successTerminationBehavior: .ignore, failureTerminationBehavior: .gracefullyShutdownGroup),
                    .init(service: switchGenerator, successTerminationBehavior: .ignore, failureTerminationBehavior: .gracefullyShutdownGroup),
                ],
                logger: lifecycle
            )
        )
        var failure: (any Error)?
        do {
            try await ServiceRunner.runWatchingSignals(group)
        } catch {
            failure = error
        }
        queue?.close()
        await store.shutdown()
        switch failure {
        case nil:
            if let summary = flows.summary, !summary.errors.isEmpty { throw ExitCode(1) }
            if let verdict = reconciliation?.verdict, !verdict.ok {
                Console.printError("not every record is accounted for:\n" + verdict.problems.map { "  - \($0)" }.joined(separator: "\n"))
                throw ExitCode(1)
            }
        case let error as SinkError:
            Console.printError(error.description)
            throw ExitCode(1)
        case let error as GeneratorError:
            Console.printError(error.description)
            throw ExitCode(1)
        case let error?:
            Console.printError(plan.server.listenFailure(error) ?? "\(error)")
            throw ExitCode(1)
        }
    }
}
