import BlockingWork
import ChaosEngine
import Dispatch
import Foundation
import Logging
import ObjectStorage
import Observability
import RecordQueue
import ServiceLifecycle
import Settings
import Synchronization
import TelemetryFormats
import TelemetryModel
import TransportSettings

/// `netchaos generate` as a service: worker threads generate and encode chunks, a writer thread
/// releases them in order to every output at the configured rate, and a reporter logs
/// throughput. On graceful shutdown (SIGINT/SIGTERM) it stops at a record boundary, flushes every
/// output and logs the final summary.
public final class GeneratorService: Service, Sendable {
    public let configuration: GeneratorConfiguration
    private let logger: Logger
    private let stop = StopSignal()
    private let result = Mutex<GenerationSnapshot?>(nil)
    /// The running generation's counters (set once ``run()`` has started its outputs).
    private let live = Mutex<GenerationStats?>(nil)
    /// The running simulation and its ring, for incidents started at run time.
    private let running = Mutex<(simulation: FlowSimulation, ring: SimulationRing)?>(nil)

    /// Where a `serve://` output keeps the latest snapshot (the command serves it over HTTP).
    public let board: SnapshotBoard

    /// Where a `queue` output puts its records (`netchaos up`).
    public let queue: RecordQueue?

    /// The incidents written so far, for a live page (nil: not kept).
    public let incidents: IncidentBoard?

    /// The run's slots as they are written (kept with `output.manifest` or ``GeneratorConfiguration/keepsManifest``).
    public let manifest: ManifestRecorder?

    public init(configuration: GeneratorConfiguration, logger: Logger, board: SnapshotBoard = SnapshotBoard(), queue: RecordQueue? = nil,
                incidents: IncidentBoard? = nil) {
        self.incidents = incidents
        self.configuration = configuration
        self.logger = logger
        self.board = board
        self.queue = queue
        manifest = configuration.manifestFile != nil || configuration.keepsManifest
            ? ManifestRecorder(generatorID: configuration.generatorID, dataset: configuration.dataset) : nil
    }

    /// The final summary, once ``run()`` has returned.
    public var summary: GenerationSnapshot? { result.withLock { $0 } }

    /// What the run has done so far (nil before it started); the final summary once it ended.
    public var progress: GenerationSnapshot? {
        if let summary { return summary }
        return live.withLock { $0 }?.snapshot()
    }

    /// Asks the run to stop at the next record boundary (as SIGINT does).
    public func requestStop() { stop.raise() }

    /// Why an incident could not start at run time.
    public enum IncidentFailure: Error, Sendable, CustomStringConvertible {
        /// The run is not simulating flows (yet, or any more), or reserved no slots.
        case notRunning
        case refused(LiveScenarios.Failure)

        public var description: String {
            switch self {
            case .notRunning: "the flow generator is not running"
            case .refused(let failure): failure.description
            }
        }
    }

    /// Starts `entry` now (``GeneratorConfiguration/liveIncidentSlots`` must be reserved): its
    /// first occurrence one simulation step after the furthest any shard has got, so that no shard
    /// has passed it. Returns the entry's index and its start (Unix milliseconds of event time).
    public func startIncident(_ entry: ScenarioEntry) throws(IncidentFailure) -> (index: Int, startMs: Int64) {
        guard let (simulation, ring) = running.withLock({ $0 }), simulation.live != nil else { throw .notRunning }
        let start = ring.horizonMs + simulation.tickMs
        do throws(LiveScenarios.Failure) {
            return (try simulation.startIncident(entry, atMs: start), start)
        } catch {
            throw .refused(error)
        }
    }

    public func run() async throws {
        defer { running.withLock { $0 = nil } }
        let config = configuration
        let source: ChunkEncoder.Source
        let flowVocabulary: FlowVocabulary?
        var simulation: FlowSimulation?
        switch config.dataset {
        case .flow:
            let flows = FlowSimulation(declaration: config.network, settings: config.simulationSettings)
            simulation = flows
            let vocabulary = flows.topology.vocabulary(generatorID: config.generatorID)
            source = .flow(vocabulary, vpc: VPCSettings(windowMs: config.network.windowMs, skipProbability: config.vpcSkipProbability))
            flowVocabulary = vocabulary
        case .transactions:
            source = .transactions(TransactionChunkGenerator(
                reference: config.reference, clock: EventClock(start: config.startTime, eventsPerSecond: config.timeRate),
                seed: config.seed, chaos: config.transactionChaos
            ))
            flowVocabulary = nil
        case .switches:
            source = .switches(SwitchChunkGenerator(
                switches: config.switchFleet.count, interval: config.switchFleet.interval, start: config.startTime,
                seed: config.seed, chaos: config.switchChaos
            ))
            flowVocabulary = nil
        }
        var parquet = config.parquet
        parquet.metadata = config.fileMetadata
        parquet.parallelism = config.workers
        let makeParquet: @Sendable () -> any ChunkParquetEncoder = { [parquet, dataset = config.dataset, reference = config.reference, generatorID = config.generatorID, labels = config.labels.inRecords] in
            if let flowVocabulary { return FlowParquetEncoder(vocabulary: flowVocabulary, options: parquet, labels: labels) }
            if dataset == .switches { return SwitchParquetEncoder(generatorID: generatorID, options: parquet) }
            return TransactionParquetEncoder(reference: reference, generatorID: generatorID, options: parquet)
        }
        // Zeek's conn.log of flow outputs: connections quiet for a window and a minute have ended.
        let formats = Set(config.outputs.map(\.format))
        let zeekLogs = config.dataset == .flow && (formats.contains(.zeek) || formats.contains(.zeekJSON))
            ? ZeekLogs(inactivityMs: config.network.windowMs + 60_000, tsv: formats.contains(.zeek), json: formats.contains(.zeekJSON)) : nil
        func zeek(_ format: OutputFormat) -> ZeekLogs? { format == .zeek || format == .zeekJSON ? zeekLogs : nil }
        var uploaders: [ObjectUploader] = []
        var outputs: [any RecordOutput]
        do throws(GeneratorError) {
            outputs = try config.outputs.map { spec throws(GeneratorError) -> any RecordOutput in
                if case .objectStore(let location) = spec.destination, let simulation, let flowVocabulary {
                    let store: any ObjectStore
                    do throws(ConfigurationError) {
                        store = try StoreSettings.makeStore(location: location, s3: config.s3, locationKey: "outputs", logger: logger)
                    } catch {
                        throw GeneratorError.output(OutputError(output: spec.description, operation: "open", detail: error.description))
                    }
                    let uploader = ObjectUploader(store: store)
                    uploaders.append(uploader)
                    let encoder = FlowVPCEncoder(vocabulary: flowVocabulary, version: config.vpcVersion, windowMs: config.network.windowMs, skipProbability: config.vpcSkipProbability)
                    return VPCLogFiles(
                        spec: spec, encoder: encoder, status: VPCStatusLines(encoder: encoder, hosts: simulation.ownedInterfaces, noData: config.vpcNoData),
                        vocabulary: flowVocabulary, uploader: uploader, seed: config.seed
                    )
                }
                if case .http(let url) = spec.destination {
                    return HTTPOutput(
                        spec: spec, url: url, generatorID: config.generatorID, token: config.httpToken,
                        trust: config.httpCAFile.map { HTTPOutput.Trust(caFile: $0, verifiesHostname: config.httpVerifiesHostname) }, logger: logger
                    )
                }
                if case .netflow(var target) = spec.destination {
                    target.options.bootMs = Int64((config.startTime - 3_600) * 1_000)
                    target.options.activeTimeoutSeconds = Int(config.network.windowMs / 1_000)
                    return NetFlowOutput(spec: spec, target: target, generatorID: config.generatorID)
                }
                if case .syslog(let target) = spec.destination { return SyslogOutput(spec: spec, target: target, encoder: FlowCEFEncoder(generatorID: config.generatorID)) }
                if case .serve = spec.destination { return CountersOutput(spec: spec, board: board) }
                if case .queue = spec.destination, let queue { return QueueOutput(spec: spec, queue: queue, generatorID: config.generatorID) }
                guard case .kafka(let brokers, let topic) = spec.destination else {
                    let header: [UInt8]? = switch (spec.format, config.dataset) {
                    case (.csv, .flow): FlowCSVEncoder.header(labels: config.labels.inRecords)
                    case (.csv, .transactions): TransactionTextEncoder.csvHeader
                    case (.csv, .switches): SwitchTextEncoder.csvHeader
                    case (.vpc, _): FlowVPCEncoder.header(version: config.vpcVersion)
                    case (.zeek, .flow): Array(zeekLogs?.tsv?.header(openMs: Int64(config.startTime * 1_000)).utf8 ?? "".utf8)
                    case (.pcap, .flow): PcapCapture.fileHeader(snaplen: config.pcapSnaplen)
                    default: nil
                    }
                    var status: VPCStatusLines?
                    if spec.format == .vpc, let simulation, let flowVocabulary {
                        status = VPCStatusLines(
                            encoder: FlowVPCEncoder(vocabulary: flowVocabulary, version: config.vpcVersion, windowMs: config.network.windowMs,
                                                    skipProbability: config.vpcSkipProbability),
                            hosts: simulation.ownedInterfaces, noData: config.vpcNoData
                        )
                    }
                    return FileOutput(
                        spec: spec, rotateBytes: config.rotateBytes, gzipLevel: config.gzipLevel, header: header, makeParquet: makeParquet,
                        vpcStatus: status, zeek: zeek(spec.format),
                        pcap: spec.format == .pcap && config.dataset == .flow ? PcapCapture(snaplen: config.pcapSnaplen, windowMs: config.network.windowMs, vocabulary: flowVocabulary) : nil,
                        cef: spec.format == .cef && config.dataset == .flow ? FlowCEFEncoder(generatorID: config.generatorID) : nil
                    )
                }
                var kafka = config.kafka
                if let brokers { kafka.client.brokers = brokers }
                if let topic { kafka.topic = topic }
                return KafkaOutput(spec: spec, configuration: kafka, generatorID: config.generatorID, stop: stop, logger: logger)
            }
            // The ground truth apart from the records: the labels' sidecar and the incident table.
            if config.labels == .sidecar, let path = config.labelsFile { outputs.append(LabelSidecarOutput(path: path)) }
            if let incidents { outputs.append(IncidentTableOutput(board: incidents)) }
            if let path = config.incidentsFile {
                if let (location, key) = IncidentTableOutput.objectLocation(path) {
                    let store: any ObjectStore
                    do throws(ConfigurationError) {
                        store = try StoreSettings.makeStore(location: location, s3: config.s3, locationKey: "output.incidents", logger: logger)
                    } catch {
                        throw GeneratorError.output(OutputError(output: path, operation: "open", detail: error.description))
                    }
                    let uploader = ObjectUploader(store: store)
                    uploaders.append(uploader)
                    outputs.append(IncidentTableOutput(path: path, upload: (uploader, key)))
                } else {
                    outputs.append(IncidentTableOutput(path: path))
                }
            }
            for uploader in uploaders {
                do throws(ObjectStoreError) {
                    try await uploader.store.prepare()
                } catch {
                    throw GeneratorError.output(OutputError(output: uploader.store.location, operation: "open", detail: error.description))
                }
            }
            // Starting connects and waits (Kafka metadata, an ingester's /health): on a thread of its
            // own, so the tasks of other services in the process (an HTTP server) keep running.
            let started: OutputError? = await OutputStarter.start(outputs)
            if let started { throw GeneratorError.output(started) }
        } catch {
            // The object stores hold HTTP clients that must be shut down, on failure too.
            await Self.shutDown(uploaders)
            throw error
        }
        let stats = GenerationStats()
        stats.update { snapshot in
            snapshot.labels = config.dataset.labels
            snapshot.outputs = outputs.map { .init(name: $0.name, records: 0, bytes: 0, files: $0.files, error: nil, delivery: $0.delivery) }
        }
        live.withLock { $0 = stats }
        let buffered = config.bufferRecords.map { ($0 + RecordChunk.capacity - 1) / RecordChunk.capacity } ?? 0
        let slots = max(2 * config.workers, 4, buffered)
        let ring: any ChunkSource
        let pacing: ChunkWriter.Pacing
        if let simulation {
            let simulated = SimulationRing(simulation: simulation, chunkSlots: slots, steps: max(4, config.workers + 2), zeek: zeekLogs)
            running.withLock { $0 = (simulation, simulated) }
            ring = simulated
            pacing = config.rate.map { .byEventTime(startMs: simulation.settings.startMs, speed: $0 / config.timeRate) } ?? .none
        } else {
            ring = ChunkRing(slots: slots)
            pacing = config.rate == nil ? .none : .byIndex(RatePacer(rate: config.rate))
        }
        let writer = ChunkWriter(
            ring: ring, outputs: outputs, stats: stats, pacing: pacing, count: config.count,
            duration: config.duration, endMs: config.endTime.map { Int64(($0 * 1_000).rounded()) }, stopRequested: stop,
            manifest: manifest, manifestFile: config.manifestFile
        )
        let workers = DispatchGroup()

        logger.info(
            "generation started",
            metadata: [
                "dataset": "\(config.dataset.rawValue)", "seed": .stringConvertible(config.seed), "generator_id": "\(config.generatorID)",
                "rate": config.rate.map { .stringConvertible($0) } ?? "max", "workers": .stringConvertible(config.workers),
                "outputs": .array(config.outputs.map { .string($0.description) }),
                "chaos": .stringConvertible(config.chaosEnabled),
            ]
        )

        for note in config.notes { logger.warning("setting has no effect", metadata: ["note": .string(note)]) }

        for worker in 0..<config.workers {
            workers.enter()
            DedicatedThread.start(named: "netchaos-work-\(worker)") {
                let encoder = ChunkEncoder(
                    source: source, generatorID: config.generatorID, formats: formats, gzipLevel: config.gzipLevel,
                    precompress: config.rate == nil, vpcVersion: config.vpcVersion, labels: config.labels.inRecords
                )
                if let simulated = ring as? SimulationRing {
                    simulated.work { encoder.encode($0) }
                } else if let chunked = ring as? ChunkRing {
                    while let (index, chunk) = chunked.claim() {
                        encoder.fill(chunk, index: index)
                        chunked.publish(index)
                    }
                }
                workers.leave()
            }
        }
        let reporter = ThroughputReporter(stats: stats, configuration: config, logger: logger)
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                for uploader in uploaders { group.addTask { await uploader.run() } }
                group.addTask { await reporter.run() }
                // The writer finishes its outputs (waiting for their uploads) before it is done.
                // The outputs finish once the workers have stopped (the conn.log's last lines come
                // from the fold the workers ran).
                await DedicatedThread.run(named: "netchaos-writer") {
                    writer.run()
                    ring.stop()
                    workers.wait()
                    writer.finish()
                }
                for uploader in uploaders { uploader.close() }
                group.cancelAll()
            }
        } onGracefulShutdown: { [stop] in
            stop.raise()
        }
        if let simulated = ring as? SimulationRing, let simulation {
            let open = simulated.runningSessions
            stats.update { snapshot in
                snapshot.hosts = simulation.topology.hosts.count
                snapshot.openSessions = open
                if let reached = snapshot.eventTimeReachedMs {
                    snapshot.expectedRecords = simulation.expectedRecords(fromMs: simulation.settings.startMs, toMs: reached)
                }
            }
        }
        await Self.shutDown(uploaders)
        let final = stats.snapshot()
        reporter.finish(final)
        result.withLock { $0 = final }
    }

    private static func shutDown(_ uploaders: [ObjectUploader]) async {
        for uploader in uploaders { await uploader.store.shutdown() }
    }
}

/// Why a generation could not run.
public enum GeneratorError: Error, Sendable, CustomStringConvertible {
    case output(OutputError)

    public var description: String {
        switch self {
        case .output(let error): error.description
        }
    }
}
