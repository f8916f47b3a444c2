import CoreMetrics

/// The ingester's gauges read from its store before each scrape (its counters and histograms
/// are recorded as requests come: ``MetricsMiddleware``, ``IngestStats``).
public struct IngestMetrics: Sendable {
    private let store: any MetricStore
    private let switches = Gauge(label: "netchaos_ingest_switches")

    public init(store: any MetricStore) {
        self.store = store
        switches.record(0)
    }

    /// Sets the switches gauge to the latest snapshot's size (unchanged while the store is away).
    public func update() async {
        if let count = try? await store.latestSnapshot().count { switches.record(count) }
    }
}
