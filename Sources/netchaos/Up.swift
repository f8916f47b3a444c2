#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Configuration
import Logging
import Observability
import ObjectStorage
import Pipeline
import Settings
import TransportSettings

/// `netchaos up`: the whole pipeline in one process. Flow events go through an in-process queue
/// (or Kafka, with KAFKA_BROKERS) to the sink and into a directory (or S3); switch metrics are
/// pushed to the ingester (memory, or Redis with REDIS_URL); one port serves the live page, the
/// ingester's API and /metrics.
struct Up: AsyncParsableCommand, KnobOptions {
    static let knobSections = ["config", "up", "generator", "sink", "ingest", "http", "log"]

    static let configuration = CommandConfiguration(
        abstract: "Run the whole pipeline in one process: flows to storage through the sink, switch metrics to the ingester, a live page.",
        discussion: """
            With no servers: an in-process queue, a local directory (./netchaos-data), metrics in memory. \
            KAFKA_BROKERS, S3 settings (MINIO_ENDPOINT, AWS_*) and REDIS_URL make the same topology use them. \
            Every generate, sink and ingest setting applies (EPS_TARGET, BATCH_SIZE, ...).
            """
    )

    @Option(parsing: .unconditional, help: .knob(Knobs.general.config)) var config: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.up.host)) var host: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.up.port)) var port: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.generator.epsTarget)) var rate: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.generator.duration)) var duration: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.generator.seed)) var seed: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.sink.store)) var store: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.sink.batchSize)) var batchSize: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.sink.flushInterval)) var flushInterval: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.generator.switches)) var switches: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.generator.snapshotInterval, default: "2s here")) var snapshotInterval: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.up.partitions)) var partitions: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.up.queueBytes)) var queueBytes: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.up.reconcileInterval)) var reconcileInterval: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.general.logInterval)) var logInterval: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.general.logLevel)) var logLevel: String?
    @OptionGroup(title: "HTTP server") var http: HTTPServerOptions
    @OptionGroup(title: "What the ingester accepts") var accepts: IngestOptions
    @OptionGroup var checking: CheckOption

    func run() async throws {
        signal(SIGPIPE, SIG_IGN)
        let plan: UpPlan
        let store: any ObjectStore
        do throws(ConfigurationError) {
            let configFile = config
            plan = try await UpPlan(flags: flagValues) { flags throws(ConfigurationError) in
                try await ConfigurationLoader.load(flags: flags, configFile: configFile)
            }
            LoggingBootstrap.bootstrap(level: try Generate.logLevel(ConfigValues(plan.reader)))
            store = try StoreSettings.makeStore(location: plan.sink.store, config: plan.reader, logger: Logger(label: "netchaos.store"))
        } catch {
            throw CommandExit.status(for: error)
        }
        if checking.check {
            await store.shutdown()
            return checking.report("up")
        }
        _ = MetricsExposition.shared
        let outcome: UpPipeline.Outcome
        do {
            outcome = try await UpPipeline(plan: plan, store: store).run(runner: { try await ServiceRunner.runWatchingSignals($0) })
        } catch {
            throw CommandExit.status(for: error, servers: [plan.server])
        }
        if !outcome.generatorErrors.isEmpty { throw CommandExit.failure }
        if let verdict = outcome.verdict, !verdict.ok {
            throw CommandExit.failed("not every record is accounted for:\n" + verdict.problems.map { "  - \($0)" }.joined(separator: "\n"))
        }
    }
}
