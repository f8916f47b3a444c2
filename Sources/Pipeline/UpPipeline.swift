import Foundation
import GeneratorRuntime
import HTTPServing
import Hummingbird
import Ingester
import KafkaTransport
import Logging
import Observability
import ObjectStorage
import Reconciliation
import RecordQueue
import ServiceLifecycle
import TelemetrySink

/// `netchaos up` composed: flow events from a generator through the in-process queue (or Kafka)
/// to the sink and into a store; switch metrics from a second generator, posted to the ingester
/// on the pipeline's own port; the live page, the ingester's API, incidents and /metrics on that
/// port; and, when the plan asks, the running reconciliation of every flow record.
///
/// Shutdown goes from the last service to the first: the generators stop (the flow generator
/// closes the queue), the sink stores and commits everything queued, the reconciliation makes its
/// last pass over the store, then the page and the server go.
public struct UpPipeline: Sendable {
    /// How a run that was not cut short by a failure ended.
    public struct Outcome: Sendable {
        /// The flow generator's output errors (its summary's), if any.
        public var generatorErrors: [String]
        /// The reconciliation's final report; nil without reconciliation.
        public var verdict: ReconciliationReport?
        /// Nothing failed and every record is accounted for.
        public var ok: Bool { generatorErrors.isEmpty && verdict?.ok != false }
    }

    public let plan: UpPlan
    private let store: any ObjectStore
    private let logger: Logger

    /// The pipeline of `plan`, storing flows in `store` (which it shuts down when it ends).
    public init(plan: UpPlan, store: any ObjectStore, logger: Logger = Logger(label: "netchaos.up")) {
        self.plan = plan
        self.store = store
        self.logger = logger
    }

    /// Builds the services and runs them with `runner` (which runs the group, watching signals in
    /// the command) until they end. Throws what stopped it: a `KafkaError` or a
    /// `MetricStoreStartup.Failure` before it started, a `ConfigurationError` for the server, a
    /// `SinkError` or `GeneratorError` while it ran, or the server's own error (see
    /// `HTTPServerConfiguration.listenFailure`).
    /// - Parameter listening: called with the port once the server listens.
    public func run(
        runner: @Sendable (ServiceGroup) async throws -> Void = { try await $0.run() }, listening: @escaping @Sendable (Int) -> Void = { _ in }
    ) async throws -> Outcome {
        do {
            return try await assembleAndRun(runner: runner, listening: listening)
        } catch {
            await store.shutdown()
            throw error
        }
    }

    private func assembleAndRun(runner: @Sendable (ServiceGroup) async throws -> Void, listening: @escaping @Sendable (Int) -> Void) async throws -> Outcome {
        let plan = plan
        let store = store
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
        } else if let consumer = plan.consumer {
            sink = try SinkService(configuration: plan.sink, consumer: consumer, store: store, logInterval: plan.logInterval, logger: Logger(label: "netchaos.sink"))
        } else {
            preconditionFailure("a plan has a consumer or uses the queue")
        }

        // Switch metrics: generator -> POST to our own port -> ingester store.
        let (metricStore, redisClient) = MetricStoreFactory.make(plan.ingest, logger: Logger(label: "netchaos.ingest"))
        defer { redisClient?.close() }
        // Redis refusing the password or database is a failure; Redis away is waited for (503 meanwhile).
        try await MetricStoreStartup.start(metricStore, logger: Logger(label: "netchaos.ingest"))
        if plan.consumer != nil && !plan.sink.deadLetters.usesStore {
            logger.notice("no reconciliation", metadata: ["note": "sink.dlq=kafka: dead letters are not in the store, so up cannot account for every record (use sink.dlq=both)"])
        }
        var reconciliation: UpReconciliation?
        if let interval = plan.reconcileInterval, let manifest = flows.manifest {
            reconciliation = UpReconciliation(
                manifest: manifest, store: store, deadLetterPrefix: plan.sink.deadLetterPrefix, interval: interval, logger: Logger(label: "netchaos.reconcile")
            )
        }
        let board = LiveBoard(generator: flows, sinkStats: sink.stats, store: metricStore, reconciliation: reconciliation)
        let generatorMetrics = GeneratorMetrics(service: flows)
        let sinkMetrics = SinkMetrics(stats: sink.stats)
        let ingestMetrics = IngestMetrics(store: metricStore)
        MetricsExposition.shared.addCollector {
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
        let port = ListeningPort()
        let logger = logger
        let server = try HTTPServer.application(router: router, configuration: plan.server, serverName: "netchaos-up") { channel in
            let bound = channel.localAddress?.port ?? plan.port
            logger.info("up listening", metadata: [
                "http.port": .stringConvertible(bound), "http.address": .string(plan.host),
                "up.page": .string("\(plan.server.scheme)://\(plan.host == "0.0.0.0" ? "localhost" : plan.host):\(bound)/"),
                "up.queue": .string(queue.map { "in-process, \($0.partitions) partitions" } ?? "kafka"),
                "sink.store": .string(store.location), "ingest.store": .string(metricStore.name),
            ])
            port.set(bound)
            listening(bound)
        }
        let switchGenerator = AfterListening(port: port) { port in
            var switches = plan.switches
            // The switch generator posts to this same port: over HTTPS with TLS on, trusting only
            // the server's own certificate (whatever names it carries), with the write token.
            switches.outputs = [OutputSpec(destination: .http(url: "\(plan.server.scheme)://127.0.0.1:\(port)"), format: .jsonl)]
            switches.httpToken = plan.ingest.token
            switches.httpCAFile = plan.server.tls?.certificate
            switches.httpVerifiesHostname = false
            return GeneratorService(configuration: switches, logger: Logger(label: "netchaos.switches"))
        }

        let stopping = StopLatch()
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: server, successTerminationBehavior: .ignore, failureTerminationBehavior: .gracefullyShutdownGroup),
                ] + (reconciliation.map { [.init(service: $0, successTerminationBehavior: .ignore)] } ?? []) + [
                    .init(service: board, successTerminationBehavior: .ignore),
                    .init(service: SinkThenClose(sink: sink, queue: queue, stopping: stopping), successTerminationBehavior: .gracefullyShutdownGroup),
                    .init(
                        service: ThenFinishSink(generator: flows, sink: sink, stopping: stopping), successTerminationBehavior: .ignore,
                        failureTerminationBehavior: .gracefullyShutdownGroup
                    ),
                    .init(service: switchGenerator, successTerminationBehavior: .ignore, failureTerminationBehavior: .gracefullyShutdownGroup),
                ],
                logger: Logger(label: "netchaos.lifecycle", factory: { _ in SwiftLogNoOpLogHandler() })
            )
        )
        defer { queue?.close() }
        try await runner(group)
        await store.shutdown()
        return Outcome(generatorErrors: flows.summary?.errors.map { "\($0)" } ?? [], verdict: reconciliation?.verdict)
    }
}
