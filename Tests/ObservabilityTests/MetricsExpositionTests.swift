import CoreMetrics
import Observability
import Synchronization
import Testing

@Suite("Prometheus exposition")
struct MetricsExpositionTests {
    /// The lines of `text` for one family (its HELP, TYPE and samples).
    func lines(_ text: String, of family: String) -> [Substring] {
        text.split(separator: "\n").filter { $0.contains(family) }
    }

    @Test("swift-metrics counters get the catalog's HELP and TYPE; a mirror adds what a total grew by, and survives a restarted total")
    func mirroredCounter() async {
        let exposition = MetricsExposition.shared
        let mirror = CounterMirror()
        mirror.set("netchaos_generator_bytes_total", [("output", "test-mirror")], to: 5)
        mirror.set("netchaos_generator_bytes_total", [("output", "test-mirror")], to: 8)
        var text = String(decoding: await exposition.render(), as: UTF8.self)
        let family = lines(text, of: "netchaos_generator_bytes_total")
        #expect(family.contains("# HELP netchaos_generator_bytes_total Bytes written, by output kind (stdout, file, kafka, http, serve, queue)."))
        #expect(family.contains("# TYPE netchaos_generator_bytes_total counter"))
        #expect(family.contains(#"netchaos_generator_bytes_total{output="test-mirror"} 8"#))
        // A source that restarted (its total went back): counting goes on from there, never down.
        mirror.set("netchaos_generator_bytes_total", [("output", "test-mirror")], to: 3)
        mirror.set("netchaos_generator_bytes_total", [("output", "test-mirror")], to: 4)
        text = String(decoding: await exposition.render(), as: UTF8.self)
        #expect(lines(text, of: "netchaos_generator_bytes_total").contains(#"netchaos_generator_bytes_total{output="test-mirror"} 9"#))
    }

    @Test("timers are histograms in seconds with the catalog's buckets")
    func timerHistogram() async {
        let exposition = MetricsExposition.shared  // bootstraps swift-metrics before the timer is made
        let timer = CoreMetrics.Timer(label: "netchaos_ingest_request_duration_seconds", dimensions: [("route", "/exposition-test")])
        timer.recordNanoseconds(3_000_000)
        timer.recordNanoseconds(40_000_000)
        let text = String(decoding: await exposition.render(), as: UTF8.self)
        let family = lines(text, of: "route=\"/exposition-test\"")
        #expect(text.contains("# TYPE netchaos_ingest_request_duration_seconds histogram"))
        #expect(family.contains(#"netchaos_ingest_request_duration_seconds_bucket{route="/exposition-test",le="0.0025"} 0"#))
        #expect(family.contains(#"netchaos_ingest_request_duration_seconds_bucket{route="/exposition-test",le="0.005"} 1"#))
        #expect(family.contains(#"netchaos_ingest_request_duration_seconds_bucket{route="/exposition-test",le="0.05"} 2"#))
        #expect(family.contains(#"netchaos_ingest_request_duration_seconds_bucket{route="/exposition-test",le="+Inf"} 2"#))
        #expect(family.contains(#"netchaos_ingest_request_duration_seconds_count{route="/exposition-test"} 2"#))
        #expect(family.contains(where: { $0.hasPrefix(#"netchaos_ingest_request_duration_seconds_sum{route="/exposition-test"} 0.043"#) }))
    }

    @Test("collectors run before each scrape")
    func collectorsRunFirst() async throws {
        let exposition = MetricsExposition.shared
        // A series of its own in a family that is labelled wherever it is made (a family may not
        // be both labelled and not: the registry traps), and other tests may scrape the shared
        // exposition meanwhile: each scrape shows a newer call.
        let gauge = Gauge(label: "netchaos_sink_lag_records", dimensions: [("topic", "collectors-test"), ("partition", "0")])
        let calls = CallCounter()
        exposition.addCollector { gauge.record(calls.next()) }
        func value(_ text: String) -> Double? {
            let prefix = #"netchaos_sink_lag_records{topic="collectors-test",partition="0"} "#
            return text.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Double($0.dropFirst(prefix.count)) }
        }
        let first = try #require(value(String(decoding: await exposition.render(), as: UTF8.self)))
        let second = try #require(value(String(decoding: await exposition.render(), as: UTF8.self)))
        #expect(first >= 1 && second > first, "\(first) then \(second)")
    }

    @Test("every catalog family has a snake_case name with its unit and help text; counters end in _total")
    func catalogNames() {
        for family in MetricsCatalog.families {
            #expect(family.name.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "_" }, "\(family.name)")
            #expect(!family.help.isEmpty)
            #expect((family.kind == .counter) == family.name.hasSuffix("_total"), "\(family.name)")
            if family.kind == .histogram { #expect(family.name.hasSuffix("_seconds") && !family.buckets.isEmpty) }
        }
        #expect(Set(MetricsCatalog.families.map(\.name)).count == MetricsCatalog.families.count)
    }
}

final class CallCounter: Sendable {
    private let count = Atomic<Int>(0)
    func next() -> Int { count.add(1, ordering: .relaxed).newValue }
}
