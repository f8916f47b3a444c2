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
