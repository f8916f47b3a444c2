import Foundation
import Logging
import Observability
import TelemetryModel

/// Logs throughput while a generation runs (a JSON line every interval, or a live line on a
/// terminal) and the final summary at the end.
struct ThroughputReporter: Sendable {
    let stats: GenerationStats
    let configuration: GeneratorConfiguration
    let logger: Logger
    let progress: ProgressLine?

    init(stats: GenerationStats, configuration: GeneratorConfiguration, logger: Logger) {
        self.stats = stats
        self.configuration = configuration
        self.logger = logger
        let live = switch configuration.progress {
        case .on: true
        case .off: false
        case .auto: ProgressLine.isTerminal()
        }
        progress = live ? ProgressLine() : nil
    }

    /// Reports until cancelled: a line each `period` of the run's clock, which starts with the
    /// first records (until then, `elapsed` is 0 and nothing is reported).
    func run() async {
        let period = progress != nil ? 0.25 : configuration.logInterval
        guard period > 0 else { return }
        var last = stats.snapshot()
        var now = last
        while !Task.isCancelled {
            // Look again soon until the clock starts; then wake when the next line is due.
            let wait = now.elapsed == 0 ? 0.05 : max(0.01, last.elapsed + period - now.elapsed)
            try? await Task.sleep(for: .milliseconds(Int((wait * 1000).rounded(.up))))
            if Task.isCancelled { break }
            now = stats.snapshot()
            guard now.elapsed > 0, now.elapsed >= last.elapsed + period - 0.01 else { continue }
            let window = now.elapsed - last.elapsed
            let current = window > 0 ? Double(now.records - last.records) / window : 0
            if let progress {
                progress.update(Self.progressText(now, current: current, target: configuration.rate))
            } else {
                var metadata = Self.throughputMetadata(now, current: current)
                if configuration.detailedLogs { metadata["outputs"] = Self.outputCounts(now) }
                logger.info("throughput", metadata: metadata)
            }
            last = now
        }
    }

    /// Logs the final summary (clearing the live line first).
    func finish(_ final: GenerationSnapshot) {
        progress?.clear()
        var metadata = Self.throughputMetadata(final, current: nil)
        metadata["time_sec"] = .stringConvertible(Self.round3(final.elapsed))
        metadata["average_rate"] = .stringConvertible(Self.round3(final.averageRate))
        metadata["assessment"] = .string(PerformanceAssessment(averageRate: final.averageRate, target: configuration.rate, expected: final.expectedRate, expectedRecords: final.expectedRecords).description)
        if let hosts = final.hosts { metadata["hosts"] = .stringConvertible(hosts) }
        if let open = final.openSessions { metadata["sessions_open"] = .stringConvertible(open) }
        if final.notDelivered > 0 { metadata["not_delivered"] = .stringConvertible(final.notDelivered) }
        metadata["outputs"] = .array(final.outputs.map { output in
            var entry: Logger.Metadata = [
                "name": .string(output.name), "records": .stringConvertible(output.records), "bytes": .stringConvertible(output.bytes),
                "files": .array(output.files.map { .string($0) }),
            ]
            if let error = output.error { entry["error"] = .string(error) }
            if let delivery = output.delivery {
                entry["kafka"] = .dictionary([
                    "enqueued": .stringConvertible(delivery.enqueued), "delivered": .stringConvertible(delivery.delivered),
                    "failed": .dictionary(delivery.failed.mapValues { .stringConvertible($0) }),
                    "in_flight": .stringConvertible(delivery.inFlight),
                ])
            }
            return .dictionary(entry)
        })
        metadata["errors"] = .array(final.errors.map { .string($0) })
        if final.errors.isEmpty {
            logger.info("final summary", metadata: metadata)
        } else {
            logger.error("final summary", metadata: metadata)
        }
    }

    static func throughputMetadata(_ snapshot: GenerationSnapshot, current: Double?) -> Logger.Metadata {
        var metadata: Logger.Metadata = [
            "total": .stringConvertible(snapshot.records),
            "elapsed_sec": .stringConvertible(round3(snapshot.elapsed)),
            "overall_rate": .stringConvertible(round3(snapshot.averageRate)),
            "labels": .dictionary(Dictionary(uniqueKeysWithValues: snapshot.labels.map {
                ($0.name, Logger.MetadataValue.stringConvertible(snapshot.count($0)))
            })),
            "dropped": .stringConvertible(snapshot.dropped),
        ]
        if let current { metadata["current_rate"] = .stringConvertible(round3(current)) }
        return metadata
    }

    /// Each output's records and bytes so far (the message producer's detailed metrics).
    static func outputCounts(_ snapshot: GenerationSnapshot) -> Logger.MetadataValue {
        .array(snapshot.outputs.map { output in
            .dictionary(["name": .string(output.name), "records": .stringConvertible(output.records), "bytes": .stringConvertible(output.bytes)])
        })
    }

    static func progressText(_ snapshot: GenerationSnapshot, current: Double, target: Double?) -> String {
        let total = max(snapshot.records, 1)
        let anomalies = snapshot.labels.filter { $0 != .normal }.map { label in
            "\(label.name) \(HumanFormat.count(Double(snapshot.count(label))))"
        }
        let share = Double(total - snapshot.count(.normal)) / Double(total) * 100
        return "netchaos generate  \(HumanFormat.count(Double(snapshot.records))) records  "
            + "\(HumanFormat.count(current))/s (target \(target.map { HumanFormat.count($0) } ?? "max"))  "
            + "\(String(format: "%.1f", share))% anomalous: " + anomalies.joined(separator: ", ")
    }

    static func round3(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }
}
