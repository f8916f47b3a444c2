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
struct Generate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate flow events with labelled chaos to stdout, files or Kafka.",
        discussion: """
            Every knob can also come from the environment (EPS_TARGET, WORKER_COUNT, CHAOS_MODE, \
            LATENCY_SPIKE_PROB, ERROR_RATE_PROB, DATA_EXFIL_PROB, ...) or a YAML file (--config). \
            Flags win over the environment, which wins over the file. A bad value exits with status 2.
            """
    )

    @Option(parsing: .unconditional, help: "YAML configuration file (env NETCHAOS_CONFIG).") var config: String?
    @Option(parsing: .unconditional, help: "Dataset: flow (default), transactions or switch.") var dataset: String?
    @Option(parsing: .unconditional, help: "Switch dataset: switches sw1..swN (default 100).") var switches: String?
    @Option(parsing: .unconditional, help: "Switch dataset: event-time seconds between snapshots (default 10s).") var snapshotInterval: String?
    @Option(parsing: .unconditional, help: "Reference data of the transactions dataset: a JSON file shaped like examples/reference/transactions.json.") var referenceData: String?
    @Option(parsing: .unconditional, help: "Events per second; 0 or 'max' = as fast as possible (env EPS_TARGET, default 5000).") var rate: String?
    @Option(parsing: .unconditional, help: "Worker threads (env WORKER_COUNT, default: CPU cores).") var workers: String?
    @Option(parsing: .unconditional, help: "Stop after exactly this many records (0 = continuous).") var count: String?
    @Option(parsing: .unconditional, help: "Stop after this long: 90, 500ms, 30s, 5m, 2h.") var duration: String?
    @Option(parsing: .unconditional, help: "Random seed; with --start-time the output is byte-identical across runs and worker counts.") var seed: String?
    @Option(parsing: .unconditional, help: "Time of the first event: Unix seconds or ISO-8601 (default: now).") var startTime: String?
    @Option(parsing: .unconditional, help: "Flows: mean records per simulated second of the network (default: the rate, 5000 at max rate).") var timeRate: String?
    @Option(parsing: .unconditional, help: "Flows: stop before the first record ending at this event time: Unix seconds, ISO-8601, or +DURATION (+48h).") var endTime: String?
    @Option(parsing: .unconditional, help: "Flows: generate part I of N of the network (by host), such as 2/4; the parts together are one run.") var shard: String?
    @Option(parsing: .unconditional, help: "Flows: aggregation window; longer sessions make a record per window (default 60s).") var window: String?
    @Option(parsing: .unconditional, help: "Flows: daily and weekly load curve: diurnal (default) or off.") var loadCurve: String?
    @Option(parsing: .unconditional, help: "Flows: local hour of the busiest time of day, for every role without its own (0-23.99).") var peakHour: String?
    @Option(parsing: .unconditional, help: "Flows: busiest over quietest hour, for every role without its own (>= 1).") var peakToTrough: String?
    @Option(parsing: .unconditional, help: "Flows: weekend activity relative to a weekday, for every role without its own.") var weekendFactor: String?
    @Option(parsing: .unconditional, help: "Flows: time zone of the load curves: UTC, +02:00, or a zone name such as America/New_York.") var timezone: String?
    @Option(parsing: .unconditional, help: "VPC flow logs: chance that an interface's capture window is SKIPDATA (default 0.0005).") var vpcSkipdataProb: String?
    @Flag(inversion: .prefixedNo, help: "VPC flow logs: report idle interfaces with NODATA lines (default on).") var vpcNodata: Bool?
    @Flag(help: "Print the simulated network as YAML (the built-in one, or what the configuration declares) and exit.") var printNetwork = false
    @Option(parsing: .unconditional, help: "generator_id written on every record (default: derived from the seed).") var generatorId: String?
    @Option(name: .customLong("output"), help: "An output: '-' for stdout, a file path (.jsonl, .json.gz, .csv, .parquet, .vpc), or kafka / kafka://HOST:PORT/TOPIC. Repeat for several; each gets every record.") var outputs: [String] = []
    @Option(parsing: .unconditional, help: "Format for stdout and for files without a known extension: jsonl, json.gz, csv, parquet, vpc.") var format: String?
    @Option(parsing: .unconditional, help: "Rotate files at this size: 64KB, 100MB, 1GB (default: no rotation).") var rotateSize: String?
    @Option(parsing: .unconditional, help: "gzip level 1-12 for json.gz (default 4).") var gzipLevel: String?
    @Option(parsing: .unconditional, help: "Parquet page codec: none, snappy, gzip, zstd, lz4 (default zstd).") var parquetCompression: String?
    @Option(parsing: .unconditional, help: "Parquet rows per row group (default 262144).") var rowGroupSize: String?
    @Option(parsing: .unconditional, help: "AWS VPC Flow Logs version of vpc outputs, 2-5 (default 2).") var vpcVersion: String?
    @Option(parsing: .unconditional, help: "Flows: a YAML file of incidents on a timeline (scenarios: family, source, target, start, duration, intensity, every/rate); see examples/scenario-day.yaml.") var scenario: String?
    @Option(parsing: .unconditional, help: "Flows: where the ground truth goes: inline (in the records, default), sidecar (a file of its own, --labels-file) or none.") var labels: String?
    @Option(parsing: .unconditional, help: "Flows: the file of --labels sidecar: one JSON line per record (default: beside the first file output, NAME.labels.jsonl).") var labelsFile: String?
    @Option(parsing: .unconditional, help: "Write the run's manifest here when it ends: generator_id, slots, the seq of every planned drop and malformed record (JSON; netchaos verify --manifest reads it).") var manifest: String?
    @Option(parsing: .unconditional, help: "Flows: write the incident table here: one row per incident (id, family, technique, start, end, sources, targets, records); JSON lines, or CSV for a .csv path.") var incidents: String?
    @Flag(inversion: .prefixedNo, help: "Inject anomalies (env CHAOS_MODE, default on).") var chaos: Bool?
    @Option(parsing: .unconditional, help: "Share of records from sessions of degraded services (env LATENCY_SPIKE_PROB, default 0.05).") var latencySpikeProb: String?
    @Option(parsing: .unconditional, help: "Share of records from sessions failing services did not serve: RST, refused, HTTP 5xx (env ERROR_RATE_PROB, default 0.02).") var errorRateProb: String?
    @Option(parsing: .unconditional, help: "Share of records that are exfiltration: uploads to a rare outside host (env DATA_EXFIL_PROB, default 0.01).") var dataExfilProb: String?
    @Option(parsing: .unconditional, help: "Probability of a malformed record (env MALFORMED_PROB, default 0.001).") var malformedProb: String?
    @Option(parsing: .unconditional, help: "Probability of a dropped event, a gap in seq (env DROP_PROB, default 0.001).") var dropProb: String?
    @Option(parsing: .unconditional, help: "Transactions: probability of a bet settled twice (default 0.01).") var duplicateSettlementProb: String?
    @Option(parsing: .unconditional, help: "Transactions: probability of a currency code that is not the amounts' currency (default 0.005).") var currencyMismatchProb: String?
    @Option(parsing: .unconditional, help: "Transactions: probability of a win beyond the game's maximum payout (default 0.002).") var impossibleWinProb: String?
    @Option(parsing: .unconditional, help: "Switches: share of snapshots with the port down (default 0.002).") var linkFlapProb: String?
    @Option(parsing: .unconditional, help: "Switches: share of snapshots in a congestion spike (default 0.01).") var congestionProb: String?
    @Option(parsing: .unconditional, help: "Switches: share of snapshots in an error burst (default 0.005).") var errorBurstProb: String?
    @Option(parsing: .unconditional, help: "Switches: share of snapshots reported stale (default 0.005).") var staleProb: String?
    @Option(parsing: .unconditional, help: "Switches: share of snapshots missing (default 0.002).") var missingProb: String?
    @Option(parsing: .unconditional, help: "realistic (default): detecting the anomalies takes context; easy: obvious signals in single records, for demos (env CHAOS_DIFFICULTY).") var difficulty: String?
    @Flag(inversion: .prefixedNo, help: "Inject port-scan bursts (env PORT_SCAN_ENABLED, default on).") var portScan: Bool?
    @Option(parsing: .unconditional, help: "Seconds of event time per port-scan burst, on average (default 20).") var scanInterval: String?
    @Option(parsing: .unconditional, help: "Sequential ports per port-scan burst (default 100).") var scanPorts: String?
    @Option(parsing: .unconditional, help: "Milliseconds of event time between probes of a burst (default 2).") var scanSpacingMs: String?
    @Option(parsing: .unconditional, help: "Client networks, comma-separated CIDRs.") var clients: String?
    @Option(name: .customLong("service"), help: "A service NAME=CIDR:PROTO/PORT[+...][<SOURCE][*WEIGHT]; repeat to replace the built-in network.") var services: [String] = []
    @OptionGroup(title: "Kafka output (--output kafka)") var kafka: KafkaClientOptions
    @OptionGroup(title: "Kafka producer") var producer: KafkaProducerOptions
    @OptionGroup(title: "HTTP servers (/metrics, serve://)") var http: HTTPServerOptions
    @Option(parsing: .unconditional, help: "Seconds between throughput log lines; 0 = none (default 5).") var logInterval: String?
    @Option(parsing: .unconditional, help: "Live progress line: auto, on, off (default auto: on when stderr is a terminal).") var progress: String?
    @Option(parsing: .unconditional, help: "Log level: trace, debug, info, notice, warning, error, critical.") var logLevel: String?
    @Option(parsing: .unconditional, help: "Serve Prometheus metrics at GET /metrics on this port (env METRICS_PORT; default none).") var metricsPort: String?
    @Option(parsing: .unconditional, help: "Address for the metrics server (env METRICS_HOST, default 0.0.0.0).") var metricsHost: String?
    @Option(parsing: .unconditional, help: "PEM certificates an https:// output trusts (env NETCHAOS_HTTP_CA_FILE; default: the system's).") var httpCaFile: String?

    /// Command-line values by configuration key.
    var flagValues: [String: ConfigContent] {
        var values: [String: ConfigContent] = [:]
        let strings: [(String, String?)] = [
            ("generator.dataset", dataset), ("generator.eps_target", rate), ("generator.workers", workers),
            ("generator.count", count), ("generator.duration", duration), ("generator.seed", seed),
            ("generator.start_time", startTime), ("generator.time_rate", timeRate), ("generator.id", generatorId), ("output.manifest", manifest),
            ("output.format", format), ("output.rotate_size", rotateSize), ("output.gzip_level", gzipLevel),
            ("output.parquet.compression", parquetCompression), ("output.parquet.row_group_size", rowGroupSize),
            ("output.vpc.version", vpcVersion), ("output.labels", labels), ("generator.scenario", scenario), ("output.labels_file", labelsFile), ("output.incidents", incidents), ("output.vpc.skipdata_prob", vpcSkipdataProb), ("output.vpc.nodata", vpcNodata.map { "\($0)" }),
            ("generator.end_time", endTime), ("generator.shard", shard), ("network.window", window), ("network.load.curve", loadCurve),
            ("network.load.peak_hour", peakHour), ("network.load.peak_to_trough", peakToTrough), ("network.load.weekend_factor", weekendFactor),
            ("network.load.timezone", timezone),
            ("chaos.enabled", chaos.map { "\($0)" }), ("chaos.latency_spike_prob", latencySpikeProb),
            ("chaos.error_rate_prob", errorRateProb), ("chaos.data_exfil_prob", dataExfilProb),
            ("chaos.malformed_prob", malformedProb), ("chaos.drop_prob", dropProb),
            ("chaos.duplicate_settlement_prob", duplicateSettlementProb), ("chaos.currency_mismatch_prob", currencyMismatchProb),
            ("chaos.impossible_win_prob", impossibleWinProb), ("generator.reference_data", referenceData),
            ("generator.switches", switches), ("generator.snapshot_interval", snapshotInterval),
            ("chaos.link_flap_prob", linkFlapProb), ("chaos.congestion_prob", congestionProb), ("chaos.error_burst_prob", errorBurstProb),
            ("chaos.stale_prob", staleProb), ("chaos.missing_prob", missingProb),
            ("chaos.port_scan.enabled", portScan.map { "\($0)" }), ("chaos.difficulty", difficulty), ("chaos.port_scan.interval_sec", scanInterval),
            ("chaos.port_scan.ports", scanPorts), ("chaos.port_scan.spacing_ms", scanSpacingMs),
            ("network.clients", clients), ("log.interval_sec", logInterval), ("log.progress", progress),
            ("log.level", logLevel), ("metrics.port", metricsPort), ("metrics.host", metricsHost), ("output.http.ca_file", httpCaFile),
        ]
        for case let (key, value?) in strings { values[key] = .string(value) }
        if !outputs.isEmpty { values["outputs"] = .stringArray(outputs) }
        if !services.isEmpty { values["network.services"] = .stringArray(services) }
        values.merge(kafka.flagValues) { $1 }
        values.merge(producer.flagValues) { $1 }
        values.merge(http.flagValues) { $1 }
        return values
    }

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
        guard let text = values.string("log.level") else { return .info }
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            throw ConfigurationError(key: "log.level", value: text, allowed: "trace, debug, info, notice, warning, error or critical")
        }
        return level
    }
}
