import CoreMetrics

/// The counters of the HTTP layer (`netchaos_http_*`), recorded where a request or connection is
/// refused before it reaches a route.
enum HTTPServingMetrics {
    static let connections = Gauge(label: "netchaos_http_connections")

    /// Every series at zero from the start (a counter that appears only at its first event hides
    /// the "none so far" a dashboard needs).
    static let prepared: Void = {
        connections.record(0)
        for status in [400, 401, 408, 414, 431, 503] { _ = Counter(label: "netchaos_http_refused_total", dimensions: [("status", String(status))]) }
        for kind in ["idle", "header"] { _ = Counter(label: "netchaos_http_timeouts_total", dimensions: [("kind", kind)]) }
    }()

    static func refused(status: Int) {
        Counter(label: "netchaos_http_refused_total", dimensions: [("status", String(status))]).increment()
    }

    static func timeout(kind: String) {
        Counter(label: "netchaos_http_timeouts_total", dimensions: [("kind", kind)]).increment()
    }
}
