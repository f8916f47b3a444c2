/// Every metric NetChaos exports, with its Prometheus type, help text and (histograms) buckets.
/// The factory takes help text from here, so the exposition carries `# HELP` for each family;
/// `deploy/metric-families.txt` lists the same names for the dashboards.
public enum MetricsCatalog {
    public enum Kind: String, Sendable { case counter, gauge, histogram }

    public struct Family: Sendable {
        public let name: String
        public let kind: Kind
        public let help: String
        /// Histogram buckets in seconds.
        public let buckets: [Double]

        init(_ name: String, _ kind: Kind, _ help: String, buckets: [Double] = []) {
            self.name = name
            self.kind = kind
            self.help = help
            self.buckets = buckets
        }
    }

    static let latencyBuckets: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    static let uploadBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]

    public static let families: [Family] = [
        // MARK: - Generator
        Family("netchaos_generator_events_total", .counter, "Records generated, by dataset and ground-truth label."),
        Family("netchaos_generator_bytes_total", .counter, "Bytes written, by output kind (stdout, file, kafka, http, serve, queue)."),
        Family("netchaos_generator_target_rate_events_per_second", .gauge, "The rate asked for in records per second; 0 when as fast as possible."),
        Family("netchaos_generator_rate_events_per_second", .gauge, "Records per second over the last scrape interval (at least one second)."),
        Family("netchaos_generator_kafka_delivered_total", .counter, "Kafka messages the brokers confirmed."),
        Family("netchaos_generator_kafka_failed_total", .counter, "Kafka messages that failed for good."),
        Family("netchaos_generator_kafka_queued_messages", .gauge, "Kafka messages produced and not yet confirmed."),
        Family("netchaos_generator_output_errors_total", .counter, "Outputs that failed and were closed, by output kind."),
        // MARK: - Sink
        Family("netchaos_sink_records_consumed_total", .counter, "Records read by the sink."),
        Family("netchaos_sink_records_valid_total", .counter, "Records that passed validation."),
        Family("netchaos_sink_records_invalid_total", .counter, "Records refused by validation, by reason."),
        Family("netchaos_sink_records_dead_lettered_total", .counter, "Refused records kept as dead letters, by destination (store, kafka)."),
        Family("netchaos_sink_batches_stored_total", .counter, "Objects stored, by kind (records, dead_letters)."),
        Family("netchaos_sink_bytes_stored_total", .counter, "Bytes stored (compressed)."),
        Family("netchaos_sink_upload_duration_seconds", .histogram, "Time to store one object, successful attempts.", buckets: uploadBuckets),
        Family("netchaos_sink_upload_retries_total", .counter, "Failed store attempts that were retried, by error code."),
        Family("netchaos_sink_commit_failures_total", .counter, "Offset commits that failed."),
        Family("netchaos_sink_committed_offset", .gauge, "Next offset to read as committed by this sink, by topic and partition."),
        Family("netchaos_sink_lag_records", .gauge, "Records between the committed offset and the end of the partition, by topic and partition."),
        // MARK: - up's reconciliation
        Family("netchaos_up_slots", .gauge, "Flow record slots by state: written (so far), present (stored), dead_lettered, planned_drop, pending (written, not stored yet), lost (final pass only)."),
        Family("netchaos_up_duplicates", .gauge, "Flow records stored or dead-lettered more than once."),
        Family("netchaos_up_reconciliation_ok", .gauge, "1 while nothing is lost or repeated, else 0."),
        Family("netchaos_up_reconciliation_objects_total", .counter, "Objects read back from the store by the reconciliation."),
        // MARK: - Ingester
        Family("netchaos_ingest_requests_total", .counter, "HTTP requests answered, by route, method and status."),
        Family("netchaos_ingest_request_duration_seconds", .histogram, "Time to answer a request, by route.", buckets: latencyBuckets),
        Family("netchaos_ingest_store_errors_total", .counter, "Requests the metric store could not serve, by store."),
        Family("netchaos_ingest_reports_stored_total", .counter, "Switch reports stored."),
        Family("netchaos_ingest_switches", .gauge, "Switches in the latest snapshot."),
        Family("netchaos_ingest_lenient_fields_total", .counter, "Fields a lenient ingester ignored, by kind (duplicate: a key given twice, unknown: an unknown field or CSV value)."),
        // MARK: - HTTP servers
        Family("netchaos_http_connections", .gauge, "HTTP connections open now."),
        Family("netchaos_http_refused_total", .counter, "Requests and connections refused before any route, by status (400 malformed, 408 header timeout, 414, 431, 503 too many connections)."),
        Family("netchaos_http_timeouts_total", .counter, "Connections closed by a timeout, by kind (idle, header)."),
    ]

    static let byName: [String: Family] = Dictionary(uniqueKeysWithValues: families.map { ($0.name, $0) })

    public static func family(named name: String) -> Family? { byName[name] }
}
