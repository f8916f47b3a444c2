import Foundation
import GeneratorRuntime
import Ingester
import ServiceLifecycle
import Synchronization
import TelemetryModel
import TelemetrySink

/// What the live page of `netchaos up` shows, sampled once a second from the running pieces:
/// the flow generator's counters (rate, totals by label, anomalies per second for the last two
/// minutes, the latest anomalous events), the sink's (records, dead letters, objects landed, lag)
/// and the ingester's latest switch snapshot. Served as JSON at `/api/live`.
public final class LiveBoard: Service, Sendable {
    /// One second of the anomaly chart.
    struct Second: Sendable {
        var time: Int64
        var counts: [String: UInt64]
    }

    private struct State: Sendable {
        var seconds: [Second] = []
        var rate: Double = 0
        var last: (records: UInt64, byLabel: [UInt64], at: Double)?
    }

    static let chartSeconds = 120
    static let anomalyKinds: [AnomalyLabel] = AnomalyLabel.flowLabels.filter { $0 != .normal }

    private let generator: GeneratorService
    private let sinkStats: SinkStats
    private let store: any MetricStore
    private let reconciliation: UpReconciliation?
    private let startedAt = Date()
    private let state = Mutex(State())

    public init(generator: GeneratorService, sinkStats: SinkStats, store: any MetricStore, reconciliation: UpReconciliation? = nil) {
        self.reconciliation = reconciliation
        self.generator = generator
        self.sinkStats = sinkStats
        self.store = store
    }

    /// Samples once a second until graceful shutdown.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                self.sample(now: Date().timeIntervalSince1970)
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// Adds the second that ended at `now`: its records per second and its anomalies by kind.
    func sample(now: Double) {
        guard let progress = generator.progress else { return }
        state.withLock { state in
            defer { state.last = (progress.records, progress.byLabel, now) }
            guard let last = state.last, now > last.at else { return }
            state.rate = Double(progress.records &- last.records) / (now - last.at)
            var counts: [String: UInt64] = [:]
            for kind in Self.anomalyKinds {
                let index = Int(kind.rawValue)
                counts[kind.name] = progress.byLabel[index] &- last.byLabel[index]
            }
            state.seconds.append(Second(time: Int64(now.rounded(.down)), counts: counts))
            if state.seconds.count > Self.chartSeconds { state.seconds.removeFirst(state.seconds.count - Self.chartSeconds) }
        }
    }

    // MARK: - JSON

    /// The `/api/live` document.
    public func json() async -> [UInt8] {
        let now = Date().timeIntervalSince1970
        let progress = generator.progress
        let sink = sinkStats.snapshot
        let (seconds, rate) = state.withLock { ($0.seconds, $0.rate) }
        var object: [String: Any] = [
            "time": now,
            "uptime_seconds": now - startedAt.timeIntervalSince1970,
        ]
        var byLabel: [String: UInt64] = [:]
        for label in AnomalyLabel.flowLabels { byLabel[label.name] = progress?.count(label) ?? 0 }
        object["generator"] = [
            "events_total": progress?.records ?? 0,
            "events_per_second": rate,
            "target_rate": generator.configuration.rate.map { $0 as Any } ?? NSNull(),
            "by_label": byLabel,
        ] as [String: Any]
        if let incidents = generator.incidents?.snapshot {
            // Running: a record of it in the minute of event time before the newest record written.
            let newest = incidents.writtenMs
            object["incidents"] = [
                "total": incidents.total,
                "recent": incidents.rows.map { row in
                    [
                        "incident_id": row.id.text, "family": row.id.family.name, "label": row.id.family.label.name,
                        "technique": row.id.family.technique.map { $0.description as Any } ?? NSNull(), "stage": row.id.family.stage.description,
                        "start_ms": row.startMs, "end_ms": row.endMs, "records": row.records, "sources": row.sources, "targets": row.targets,
                        "running": newest - row.endMs < 60_000,
                    ] as [String: Any]
                },
            ] as [String: Any]
        }
        object["anomalies_over_time"] = seconds.map { ["t": $0.time, "counts": $0.counts] as [String: Any] }
        object["latest_anomalies"] = (progress?.recentAnomalies ?? []).reversed().map { event in
            [
                "timestamp": Self.iso8601(event.timestamp), "label": event.label, "src_ip": event.srcIP, "dst_ip": event.dstIP,
                "dst_port": event.dstPort, "protocol": event.transport, "bytes": event.bytes,
            ] as [String: Any]
        }
        object["sink"] = [
            "records_consumed": sink.consumed, "records_valid": sink.valid, "records_invalid": sink.invalid.values.reduce(0, +),
            "dead_lettered": sink.deadLettersStored + sink.deadLettersProduced, "batches": sink.objects, "bytes_stored": sink.bytesStored,
            "lag_records": sink.lag.values.reduce(0, +),
            "recent_batches": sink.recentObjects.reversed().map { ["key": $0.key, "records": $0.records, "bytes": $0.bytes, "time": $0.storedAt] as [String: Any] },
        ] as [String: Any]
        if let status = reconciliation?.status {
            object["reconciliation"] = [
                "slots": status.slots, "present": status.present, "dead_lettered": status.deadLettered, "planned_drops": status.plannedDrops,
                "pending": status.pending, "lost": status.lost, "duplicates": status.duplicates, "objects_read": status.objectsRead,
                "final": status.final, "ok": status.ok, "problems": status.problems, "time": status.time,
            ] as [String: Any]
        }
        let reports = (try? await store.latestSnapshot()) ?? []
        object["switches"] = [
            "snapshot_timestamp": reports.first.map { $0.timestamp as Any } ?? NSNull(),
            "reports": reports.map { report in
                var row: [String: Any] = [
                    "switch_id": report.switchID, "bandwidth_mbps": report.bandwidthMbps, "latency_ms": report.latencyMs,
                    "packet_errors": report.packetErrors,
                ]
                if let value = report.utilizationPct { row["utilization_pct"] = value }
                if let value = report.operStatus { row["oper_status"] = value }
                row["label"] = report.label ?? "normal"
                return row
            },
        ] as [String: Any]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Array(data)
    }

    static func iso8601(_ seconds: Int64) -> String {
        Date(timeIntervalSince1970: Double(seconds)).formatted(.iso8601)
    }
}
