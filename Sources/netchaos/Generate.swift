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
import ServiceLifecycle
import Settings

/// `netchaos generate`: flow events, transactions or switch metrics, with labelled chaos, to stdout, files, S3, Kafka or an ingester over HTTP.
struct Generate: AsyncParsableCommand, KnobOptions {
    static let knobSections = ["config", "generator", "outputs", "output", "chaos", "network", "kafka", "http", "log", "metrics"]

    static let configuration = CommandConfiguration(
        abstract: "Generate flow events with labelled chaos to stdout, files or Kafka.",
        discussion: """
            Every knob can also come from the environment (EPS_TARGET, WORKER_COUNT, CHAOS_MODE, \
            LATENCY_SPIKE_PROB, ERROR_RATE_PROB, DATA_EXFIL_PROB, ...) or a YAML file (--config). \
            Flags win over the environment, which wins over the file. A bad value exits with status 2.
            """
    )

    @Option(parsing: .unconditional, help: .knob(Knobs.general.config)) var config: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.generator.dataset)) var dataset: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.generator.switches)) var switches: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.generator.snapshotInterval)) var snapshotInterval: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.generator.referenceData)) var referenceData: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.generator.epsTarget)) var rate: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.generator.workers)) var workers: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.generator.count)) var count: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.generator.duration)) var duration: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.generator.seed)) var seed: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.generator.startTime)) var startTime: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.generator.timeRate)) var timeRate: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.generator.endTime)) var endTime: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.generator.shard)) var shard: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.network.window)) var window: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.network.loadCurve)) var loadCurve: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.network.loadPeakHour)) var peakHour: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.network.loadPeakToTrough)) var peakToTrough: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.network.loadWeekendFactor)) var weekendFactor: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.network.loadTimezone)) var timezone: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.output.vpcSkipdataProb)) var vpcSkipdataProb: String?
    @Flag(inversion: .prefixedNo, help: .knob(Knobs.output.vpcNodata)) var vpcNodata: Bool?
    @Flag(help: "Print the simulated network as YAML (the built-in one, or what the configuration declares) and exit.") var printNetwork = false
    @Option(parsing: .unconditional, help: .knob(Knobs.generator.id)) var generatorId: String?
    @Option(help: .knob(Knobs.output.outputs)) var output: [String] = []
    @Option(parsing: .unconditional, help: .knob(Knobs.output.format)) var format: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.output.rotateSize)) var rotateSize: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.output.gzipLevel)) var gzipLevel: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.output.parquetCompression)) var parquetCompression: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.output.parquetRowGroupSize)) var rowGroupSize: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.output.vpcVersion)) var vpcVersion: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.output.pcapSnaplen)) var pcapSnaplen: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.generator.scenario)) var scenario: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.output.labels)) var labels: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.output.labelsFile)) var labelsFile: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.output.manifest)) var manifest: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.output.incidents)) var incidents: String?
    @Flag(inversion: .prefixedNo, help: .knob(Knobs.chaos.enabled)) var chaos: Bool?
    @Option(parsing: .unconditional, help: .knob(Knobs.chaos.latencySpikeProb)) var latencySpikeProb: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.chaos.errorRateProb)) var errorRateProb: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.chaos.dataExfilProb)) var dataExfilProb: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.chaos.malformedProb)) var malformedProb: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.chaos.dropProb)) var dropProb: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.chaos.duplicateSettlementProb)) var duplicateSettlementProb: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.chaos.currencyMismatchProb)) var currencyMismatchProb: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.chaos.impossibleWinProb)) var impossibleWinProb: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.chaos.linkFlapProb)) var linkFlapProb: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.chaos.congestionProb)) var congestionProb: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.chaos.errorBurstProb)) var errorBurstProb: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.chaos.staleProb)) var staleProb: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.chaos.missingProb)) var missingProb: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.chaos.difficulty)) var difficulty: String?
    @Flag(inversion: .prefixedNo, help: .knob(Knobs.chaos.portScanEnabled)) var portScan: Bool?
    @Option(parsing: .unconditional, help: .knob(Knobs.chaos.portScanIntervalSec)) var scanInterval: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.chaos.portScanPorts)) var scanPorts: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.chaos.portScanSpacingMs)) var scanSpacingMs: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.network.clients)) var clients: String?
    @Option(help: .knob(Knobs.network.services)) var service: [String] = []
    @OptionGroup(title: "Kafka output (--output kafka)") var kafka: KafkaClientOptions
    @OptionGroup(title: "Kafka producer") var producer: KafkaProducerOptions
    @OptionGroup(title: "HTTP servers (/metrics, serve://)") var http: HTTPServerOptions
    @OptionGroup var checking: CheckOption
    @Option(parsing: .unconditional, help: .knob(Knobs.general.logInterval)) var logInterval: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.general.logProgress)) var progress: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.general.logLevel)) var logLevel: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.general.metricsPort)) var metricsPort: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.general.metricsHost)) var metricsHost: String?
    @Option(parsing: .unconditional, help: .knob(Knobs.output.httpCaFile)) var httpCaFile: String?

    func run() async throws {
        signal(SIGPIPE, SIG_IGN)
        let configuration: GeneratorConfiguration
        let level: Logger.Level
        let metrics: MetricsEndpoint?
        let served: HTTPServerConfiguration?
        do throws(ConfigurationError) {
            let (reader, document) = try await ConfigurationLoader.load(flags: flagValues, kafkaProperties: kafka.properties, configFile: config)
            level = try Self.logLevel(ConfigValues(reader))
            metrics = try MetricsEndpoint.from(reader)
            configuration = try GeneratorConfiguration(config: reader, document: document)
            served = try configuration.servedAddress.map { address throws(ConfigurationError) in
                var server = try HTTPServerConfiguration(config: reader, host: address.host, port: address.port, hostKey: "outputs", portKey: "outputs")
                server.portSetting = "the serve:// output"
                server.hostSetting = "the serve:// output"
                try HTTPServer.check(server)
                return server
            }
        } catch {
            throw CommandExit.status(for: error)
        }
        if printNetwork {
            print(configuration.network.yaml, terminator: "")
            return
        }
        if checking.check { return checking.report("generate") }
        LoggingBootstrap.bootstrap(level: level)
        let logger = Logger(label: "netchaos.generate")
        _ = MetricsExposition.shared
        let service = GeneratorService(configuration: configuration, logger: logger)
        let generatorMetrics = GeneratorMetrics(service: service)
        let metricsServer = metrics?.server(collector: { generatorMetrics.update() }, logger: logger)
        do {
            if let served {
                // Pull mode: serve the latest snapshot until stopped, also after the last record.
                let server = try HTTPServer.application(router: CountersRouter.build(source: service.board), configuration: served, serverName: "netchaos-generate") { channel in
                    logger.info("serving /counters", metadata: [
                        "http.port": "\(channel.localAddress?.port ?? 0)", "http.address": "\(served.host)", "http.scheme": "\(served.scheme)",
                    ])
                }
                try await ServiceRunner.run(primary: server, alongside: [service] + (metricsServer.map { [$0] } ?? []))
            } else if let metricsServer {
                try await ServiceRunner.run(primary: service, alongside: [metricsServer])
            } else {
                try await ServiceRunner.run(service)
            }
        } catch {
            // A server that could not listen: the metrics port, or the serve:// address.
            throw CommandExit.status(for: error, servers: [served, metrics?.configuration].compactMap { $0 })
        }
        if let summary = service.summary, !summary.errors.isEmpty { throw CommandExit.failure }
    }

    static func logLevel(_ values: ConfigValues) throws(ConfigurationError) -> Logger.Level {
        let text = try values.value(Knobs.general.logLevel)
        guard let level = Logger.Level(rawValue: text) else { throw values.fail(Knobs.general.logLevel, text, "trace, debug, info, notice, warning, error or critical") }
        return level
    }
}
