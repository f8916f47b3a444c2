#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Configuration
import GeneratorRuntime
import HTTPServing
import Hummingbird
import Ingester
import Logging
import Observability
import RedisClient
import Settings

/// `netchaos ingest`: the HTTP ingester of switch metrics (the Go ingester's job), on Redis or in memory.
struct Ingest: AsyncParsableCommand, KnobOptions {
    static let knobSections = ["config", "ingest", "redis", "http", "log"]

    static let configuration = CommandConfiguration(
        abstract: "Receive switch metrics over HTTP (POST, or pulled from a generator) and serve them: the Go ingester's routes and more.",
        discussion: """
            Routes: GET /health, GET /telemetry/ListMetrics, GET /telemetry/GetMetric?switch_id=&metric= (the Go ingester's), \
            POST /telemetry (a JSON array of records, or CSV with a header), GET /telemetry/switches/{id} and \
            /telemetry/switches/{id}/history?metric=&limit=. Metrics live in Redis with REDIS_URL (or REDIS_HOST and \
            REDIS_PORT), else in memory. GENERATOR_URL pulls /counters from a generator every PULL_INTERVAL. \
            A bad value exits with status 2.
            """
    )

    @Option(parsing: .unconditional, help: .knob(Knobs.general.config)) var config: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.ingest.host)) var host: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.ingest.port)) var port: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.redis.url)) var redis: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.ingest.generatorUrl)) var generatorUrl: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.ingest.pullInterval)) var pullInterval: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.ingest.maxBody)) var maxBody: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.general.logLevel)) var logLevel: String?
    @OptionGroup(title: "HTTP server") var http: HTTPServerOptions
    @OptionGroup(title: "What is accepted") var accepts: IngestOptions
    @OptionGroup var checking: CheckOption

    func run() async throws {
        signal(SIGPIPE, SIG_IGN)
        let configuration: IngestConfiguration
        let server: HTTPServerConfiguration
        do throws(ConfigurationError) {
            let reader = try await ConfigurationLoader.reader(flags: flagValues, configFile: config)
            let level = try Generate.logLevel(ConfigValues(reader))
            configuration = try IngestConfiguration(config: reader)
            server = try HTTPServerConfiguration.forIngest(configuration, config: reader)
            LoggingBootstrap.bootstrap(level: level)
        } catch {
            throw CommandExit.status(for: error)
        }
        if checking.check { return checking.report("ingest") }
        let logger = Logger(label: "netchaos.ingest")
        _ = MetricsExposition.shared
        let (store, redisClient) = MetricStoreFactory.make(configuration, logger: logger)
        defer { redisClient?.close() }
        do throws(MetricStoreStartup.Failure) {
            // Redis refusing the password or database exits 1; Redis away is waited for (503 meanwhile).
            try await MetricStoreStartup.start(store, logger: logger)
        } catch {
            throw CommandExit.status(for: error)
        }
        let stats = IngestStats(store: store.name)
        let ingestMetrics = IngestMetrics(store: store)
        MetricsExposition.shared.addCollector { await ingestMetrics.update() }
        let router = IngestRouter.build(store: store, configuration: configuration, stats: stats, logger: logger)
        MetricsServer.route(to: router)
        var application: Application<TokenGatedResponder<BasicRequestContext>>
        do throws(ConfigurationError) {
            application = try HTTPServer.application(router: router, configuration: server, serverName: "netchaos-ingest") { channel in
                logger.info("ingest listening", metadata: [
                    "http.address": "\(channel.localAddress?.description ?? "?")", "http.port": "\(channel.localAddress?.port ?? 0)",
                    "http.scheme": "\(server.scheme)", "ingest.store": "\(store.name)", "ingest.redis": "\(configuration.redis?.description ?? "none")",
                    "ingest.generator_url": "\(configuration.generatorURL ?? "none")",
                ])
            }
        } catch {
            throw CommandExit.status(for: error)
        }
        if let url = configuration.generatorURL {
            application.addServices(GeneratorPuller(url: url, interval: configuration.pullInterval, store: store, stats: stats, logger: logger))
        }
        do {
            try await ServiceRunner.run(application)
        } catch {
            throw CommandExit.status(for: error, servers: [server])
        }
        let counts = stats.snapshot
        logger.info("ingest stopped", metadata: [
            "reports_stored": "\(counts.reportsStored)", "store_errors": "\(counts.storeErrors)",
            "requests": .dictionary(Dictionary(uniqueKeysWithValues: counts.requestsByStatus.map { ("\($0.key)", .stringConvertible($0.value)) })),
        ])
    }
}

extension SnapshotBoard: CountersSource {
    public func counters() -> (csv: [UInt8], version: UInt64, publishedAt: Double)? {
        latest.map { ($0.csv, $0.version, $0.publishedAt) }
    }
}
