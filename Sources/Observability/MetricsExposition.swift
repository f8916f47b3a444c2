import CoreMetrics
import Prometheus
import Synchronization

/// The process's Prometheus metrics: the registry swift-metrics is bootstrapped onto (once per
/// process, on first use), and collectors that bring gauges and mirrored counters up to date
/// just before each scrape renders the text format.
public final class MetricsExposition: Sendable {
    /// The one exposition of this process; its first use bootstraps swift-metrics.
    public static let shared: MetricsExposition = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(CatalogMetricsFactory(registry: registry))
        return MetricsExposition(registry: registry)
    }()

    public let registry: PrometheusCollectorRegistry
    private let collectors = Mutex<[@Sendable () async -> Void]>([])

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    /// Runs `collector` before every scrape (it reads a service's counters and updates metrics).
    public func addCollector(_ collector: @escaping @Sendable () async -> Void) {
        collectors.withLock { $0.append(collector) }
    }

    /// The text exposition format (version 0.0.4), collectors run first.
    public func render() async -> [UInt8] {
        for collector in collectors.withLock({ $0 }) { await collector() }
        return registry.emitToBuffer()
    }

    /// The content type of ``render()``'s text.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"
}
