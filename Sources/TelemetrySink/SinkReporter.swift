import Logging
import Synchronization

/// Logs the sink's progress every few seconds and its final summary.
final class SinkReporter: Sendable {
    private let stats: SinkStats
    private let interval: Double
    private let logger: Logger
    private let stopped = Atomic<Bool>(false)

    init(stats: SinkStats, interval: Double, logger: Logger) {
        self.stats = stats
        self.interval = interval
        self.logger = logger
    }

    func stop() { stopped.store(true, ordering: .releasing) }

    func run() async {
        guard interval > 0 else { return }
        var last = stats.snapshot
        var lastTime = ContinuousClock.now
        while !stopped.load(ordering: .acquiring) {
            // Short naps so the end of the run is not held up by a long interval.
            var slept = 0.0
            while slept < interval, !stopped.load(ordering: .acquiring) {
                try? await Task.sleep(for: .milliseconds(100))
                slept += 0.1
            }
            guard !stopped.load(ordering: .acquiring) else { return }
            let now = ContinuousClock.now
            let current = stats.snapshot
            let seconds = Self.seconds(lastTime.duration(to: now))
            var metadata = Self.metadata(current)
            metadata["consume_rate"] = .stringConvertible(Self.round1(Double(current.consumed - last.consumed) / max(seconds, 0.001)))
            logger.info("sink progress", metadata: metadata)
            last = current
            lastTime = now
        }
    }

    func finish(elapsed: Duration, location: String) {
        let final = stats.snapshot
        let seconds = Self.seconds(elapsed)
        var metadata = Self.metadata(final)
        metadata["store"] = .string(location)
        metadata["time_sec"] = .stringConvertible(Self.round3(seconds))
        let active = final.firstRead.map { Self.seconds($0.duration(to: .now)) } ?? 0
        metadata["active_sec"] = .stringConvertible(Self.round3(active))
        metadata["average_rate"] = .stringConvertible(Self.round1(Double(final.consumed) / max(active, 0.001)))
        logger.info("final summary", metadata: metadata)
    }

    static func metadata(_ s: SinkStats.Snapshot) -> Logger.Metadata {
        [
            "consumed": .stringConvertible(s.consumed),
            "valid": .stringConvertible(s.valid),
            "invalid": .dictionary(s.invalid.mapValues { .stringConvertible($0) }),
            "records_stored": .stringConvertible(s.recordsStored),
            "dead_letters_stored": .stringConvertible(s.deadLettersStored),
            "dead_letters_produced": .stringConvertible(s.deadLettersProduced),
            "objects": .stringConvertible(s.objects),
            "dead_letter_objects": .stringConvertible(s.deadLetterObjects),
            "bytes_stored": .stringConvertible(s.bytesStored),
            "record_bytes": .stringConvertible(s.recordBytes),
            "upload_retries": .dictionary(s.uploadRetries.mapValues { .stringConvertible($0) }),
            "commits": .stringConvertible(s.commits),
            "commit_failures": .stringConvertible(s.commitFailures),
            "batches_dropped": .stringConvertible(s.batchesDropped),
            "pauses": .stringConvertible(s.pauses),
            "upload_waits": .stringConvertible(s.uploadWaits),
            "consumer_errors": .dictionary(s.consumerErrors.mapValues { .stringConvertible($0) }),
            "upload_mean_ms": .stringConvertible(s.uploads == 0 ? 0 : round1(s.uploadSeconds / Double(s.uploads) * 1000)),
        ]
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    static func round1(_ value: Double) -> Double { (value * 10).rounded() / 10 }
    static func round3(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }
}
