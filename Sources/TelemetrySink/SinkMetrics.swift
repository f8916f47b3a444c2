import CoreMetrics
import KafkaTransport
import Observability
import Synchronization
import TelemetryModel

/// The sink's Prometheus metrics, brought up to date from its counters before each scrape
/// (the upload-latency histogram is recorded as uploads happen). Every refusal reason is
/// exported from the start at 0, so `rate()` sees a reason's first record.
public final class SinkMetrics: Sendable {
    private let stats: SinkStats
    private let mirror = CounterMirror()
    /// Per-partition gauges; lag ones are dropped when their partition goes to another member.
    private let gauges = Mutex<(committed: [KafkaTopicPartition: Gauge], lag: [KafkaTopicPartition: Gauge])>(([:], [:]))

    private static func labels(_ tp: KafkaTopicPartition) -> [(String, String)] { [("topic", tp.topic), ("partition", String(tp.partition))] }

    /// What a retried store attempt fails with (the retriable object-store codes), and a
    /// dead-letter topic produce that did not go through.
    static let retryCodes: Set<String> = ["unreachable", "server", "timeout", "kafka_dlq"]

    public init(stats: SinkStats) {
        self.stats = stats
        update()
    }

    public func update() {
        let s = stats.snapshot
        mirror.set("netchaos_sink_records_consumed_total", to: s.consumed)
        mirror.set("netchaos_sink_records_valid_total", to: s.valid)
        for reason in FlowRejectReason.allCases {
            mirror.set("netchaos_sink_records_invalid_total", [("reason", reason.rawValue)], to: s.invalid[reason.rawValue] ?? 0)
        }
        mirror.set("netchaos_sink_records_dead_lettered_total", [("destination", "store")], to: s.deadLettersStored)
        mirror.set("netchaos_sink_records_dead_lettered_total", [("destination", "kafka")], to: s.deadLettersProduced)
        mirror.set("netchaos_sink_batches_stored_total", [("kind", "records")], to: s.objects)
        mirror.set("netchaos_sink_batches_stored_total", [("kind", "dead_letters")], to: s.deadLetterObjects)
        mirror.set("netchaos_sink_bytes_stored_total", to: s.bytesStored)
        // The codes a retry can have are exported from the start; any other as it comes.
        for code in Self.retryCodes.union(s.uploadRetries.keys) {
            mirror.set("netchaos_sink_upload_retries_total", [("code", code)], to: s.uploadRetries[code] ?? 0)
        }
        mirror.set("netchaos_sink_commit_failures_total", to: s.commitFailures)

        // Committed offsets: every partition this sink committed (what it committed stays true);
        // lag: the partitions it holds now.
        gauges.withLock { gauges in
            for (tp, offset) in s.committed {
                let gauge = gauges.committed[tp] ?? Gauge(label: "netchaos_sink_committed_offset", dimensions: Self.labels(tp))
                gauges.committed[tp] = gauge
                gauge.record(offset)
            }
            for (tp, gauge) in gauges.lag where s.lag[tp] == nil {
                gauge.destroy()
                gauges.lag[tp] = nil
            }
            for (tp, lag) in s.lag {
                let gauge = gauges.lag[tp] ?? Gauge(label: "netchaos_sink_lag_records", dimensions: Self.labels(tp))
                gauges.lag[tp] = gauge
                gauge.record(lag)
            }
        }
    }
}
