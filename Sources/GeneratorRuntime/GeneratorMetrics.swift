import CoreMetrics
import Observability
import Synchronization
import TelemetryModel

/// The generator's Prometheus metrics, brought up to date from its counters before each scrape:
/// records by dataset and label, bytes and errors by output kind, the asked and the actual rate,
/// and Kafka deliveries.
public final class GeneratorMetrics: Sendable {
    private let service: GeneratorService
    private let mirror = CounterMirror()
    private let target: Gauge
    private let rate: Gauge
    private let queued: Gauge
    private let lastSample = Mutex<(records: UInt64, elapsed: Double)?>(nil)

    public init(service: GeneratorService) {
        self.service = service
        target = Gauge(label: "netchaos_generator_target_rate_events_per_second")
        rate = Gauge(label: "netchaos_generator_rate_events_per_second")
        queued = Gauge(label: "netchaos_generator_kafka_queued_messages")
        target.record(service.configuration.rate ?? 0)
        update()
    }

    /// The kind of an output, for the `output` label (a bounded set).
    static func kind(_ destination: OutputSpec.Destination) -> String {
        switch destination {
        case .stdout: "stdout"
        case .file: "file"
        case .kafka: "kafka"
        case .http: "http"
        case .serve: "serve"
        case .queue: "queue"
        case .objectStore: "object_store"
        case .netflow: "netflow"
        case .syslog: "syslog"
        }
    }

    /// Brings every metric up to the generator's current counters.
    public func update() {
        let configuration = service.configuration
        let dataset = configuration.dataset.rawValue
        let snapshot = service.progress
        for label in configuration.dataset.labels {
            mirror.set("netchaos_generator_events_total", [("dataset", dataset), ("label", label.name)], to: snapshot?.count(label) ?? 0)
        }
        var bytes: [String: UInt64] = [:]
        var errors: [String: UInt64] = [:]
        for spec in configuration.outputs {
            bytes[Self.kind(spec.destination)] = 0
            errors[Self.kind(spec.destination)] = 0
        }
        var delivered: UInt64 = 0
        var failed: UInt64 = 0
        var inFlight = 0
        for (index, output) in (snapshot?.outputs ?? []).enumerated() where index < configuration.outputs.count {
            let kind = Self.kind(configuration.outputs[index].destination)
            bytes[kind, default: 0] += output.bytes
            if output.error != nil { errors[kind, default: 0] += 1 }
            if let delivery = output.delivery {
                delivered += delivery.delivered
                failed += delivery.failed.values.reduce(0, +)
                inFlight += delivery.inFlight
            }
        }
        for (kind, total) in bytes { mirror.set("netchaos_generator_bytes_total", [("output", kind)], to: total) }
        for (kind, total) in errors { mirror.set("netchaos_generator_output_errors_total", [("output", kind)], to: total) }
        mirror.set("netchaos_generator_kafka_delivered_total", to: delivered)
        mirror.set("netchaos_generator_kafka_failed_total", to: failed)
        queued.record(inFlight)
        guard let snapshot else { return }
        // The rate over the time since the last update, once at least a second has passed.
        lastSample.withLock { last in
            guard let previous = last else {
                last = (snapshot.records, snapshot.elapsed)
                return
            }
            let seconds = snapshot.elapsed - previous.elapsed
            guard seconds >= 1 || service.summary != nil else { return }
            if seconds > 0 { rate.record(Double(snapshot.records &- previous.records) / seconds) }
            if service.summary != nil { rate.record(0) }
            last = (snapshot.records, snapshot.elapsed)
        }
    }
}
