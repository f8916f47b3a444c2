import Foundation
import Hummingbird
import Logging
import NIOCore
import Observability
import Synchronization
import TelemetryModel

/// The ingester's routes: the Go ingester's (`/health`, `/telemetry/ListMetrics`,
/// `/telemetry/GetMetric`, with its bodies and messages) and ours (`POST /telemetry`,
/// `/telemetry/switches/{id}` and its history).
public enum IngestRouter {
    static let methods: [String: [HTTPRequest.Method]] = [
        "/health": [.get, .head],
        "/telemetry/ListMetrics": [.get],
        "/telemetry/GetMetric": [.get],
        "/telemetry": [.post],
        "/metrics": [.get],
    ]

    public static func build(store: any MetricStore, configuration: IngestConfiguration, stats: IngestStats, logger: Logger) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: ErrorMiddleware(methods: methods, stats: stats, logger: logger))

        router.get("/health") { _, _ in APIResponse.text("OK") }
        router.head("/health") { _, _ in APIResponse.text("OK") }

        // The rendered list, reused while the store's snapshot token stays the same.
        let listCache = Mutex<(token: String, body: ByteBuffer)?>(nil)
        router.get("/telemetry/ListMetrics") { _, _ in
            let token = try await store.snapshotToken()
            if let cached = listCache.withLock({ $0?.token == token ? $0?.body : nil }) { return APIResponse.json(cached) }
            let reports = try await store.latestSnapshot()
            var json = JSONWriter(capacity: 96 * reports.count + 2)
            json.raw("[")
            for (index, report) in reports.enumerated() {
                if index > 0 { json.raw(",") }
                json.raw("{")
                json.string(report.switchID)
                json.raw(":")
                ReportJSON.originalMetrics(report, into: &json)
                json.raw("}")
            }
            json.raw("]")
            let body = json.byteBuffer()
            listCache.withLock { $0 = (token, body) }
            return APIResponse.json(body)
        }

        router.get("/telemetry/GetMetric") { request, _ in
            let query = request.uri.queryParameters
            guard let switchID = query.get("switch_id"), !switchID.isEmpty else {
                return APIResponse.originalError("Missing switch_id parameter", status: .badRequest, request: request)
            }
            guard let metricName = query.get("metric"), !metricName.isEmpty else {
                return APIResponse.originalError("Missing metric parameter", status: .badRequest, request: request)
            }
            guard SwitchReport.isValidSwitchID(switchID) else {
                return APIResponse.originalError("Invalid switch_id parameter", status: .badRequest, request: request)
            }
            let metric = Metric(rawValue: metricName)
            guard let report = try await store.latest(switchID: switchID, counters: metric.map { !Metric.original.contains($0) } ?? false) else {
                return APIResponse.originalError("switch_id does not exist", status: .notFound, request: request)
            }
            guard let metric, let value = report.value(of: metric) else {
                return APIResponse.originalError("metric does not exist", status: .notFound, request: request)
            }
            var json = JSONWriter(capacity: 64)
            ReportJSON.value(value, into: &json)
            return APIResponse.json(json)
        }

        router.post("/telemetry") { request, context in
            if let token = configuration.token {
                guard request.headers[.authorization] == "Bearer \(token)" else {
                    throw APIError(status: .unauthorized, message: "writes need Authorization: Bearer <INGEST_TOKEN>", headers: [.wwwAuthenticate: "Bearer"])
                }
            }
            let type = request.headers[.contentType]?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            guard type == "application/json" || type == "text/csv" else {
                throw APIError(status: .unsupportedMediaType, message: "Content-Type must be application/json (an array of records) or text/csv (with a header line), not '\(type)'")
            }
            var request = request
            let buffer = try await request.collectBody(upTo: configuration.maxBodyBytes)
            let rules = configuration.reportRules
            // Read in place, without a copy of the body.
            let outcome = buffer.withUnsafeReadableBytes { body in
                Result { () throws(ReportParser.Failure) -> ReportParser.Parsed in
                    type == "application/json" ? try ReportParser.json(body, rules: rules) : try ReportParser.csv(body, rules: rules)
                }
            }
            let parsed: ReportParser.Parsed
            switch outcome {
            case .success(let value):
                parsed = value
            case .failure(let failure):
                stats.refused(1)
                throw APIError(status: .badRequest, message: failure.message)
            }
            let reports = parsed.reports
            try await store.put(reports)
            stats.stored(reports.count)
            stats.ignored(duplicateKeys: parsed.duplicateKeys, unknownFields: parsed.unknownFields)
            var switches = Set<String>(minimumCapacity: reports.count)
            var latest: Int64 = 0
            for report in reports {
                switches.insert(report.switchID)
                latest = max(latest, report.timestamp)
            }
            var json = JSONWriter(capacity: 128)
            json.raw("{\"stored\":")
            json.integer(reports.count)
            json.raw(",\"switches\":")
            json.integer(switches.count)
            json.raw(",\"latest_timestamp\":")
            json.integer(latest)
            if rules.lenient {
                json.raw(",\"ignored\":{\"duplicate_keys\":")
                json.integer(parsed.duplicateKeys)
                json.raw(",\"unknown_fields\":")
                json.integer(parsed.unknownFields)
                json.raw("}")
            }
            json.raw("}")
            return APIResponse.json(json)
        }

        router.get("/telemetry/switches/:id") { request, context in
            let id = try validSwitchID(context)
            guard let report = try await store.newest(switchID: id) else {
                throw APIError(status: .notFound, message: "switch_id does not exist")
            }
            var json = JSONWriter(capacity: 512)
            ReportJSON.report(report, into: &json)
            return APIResponse.json(json)
        }

        router.get("/telemetry/switches/:id/history") { request, context in
            let id = try validSwitchID(context)
            let query = request.uri.queryParameters
            var limit = configuration.historyLength
            if let text = query.get("limit") {
                guard let value = Int(text), (1...configuration.historyLength).contains(value) else {
                    throw APIError(status: .badRequest, message: "limit must be 1-\(configuration.historyLength), not '\(text.prefix(20))'")
                }
                limit = value
            }
            var metric: Metric?
            if let name = query.get("metric") {
                guard let known = Metric(rawValue: name) else {
                    throw APIError(status: .badRequest, message: "metric must be one of \(Metric.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                metric = known
            }
            let reports = try await store.history(switchID: id, limit: limit)
            guard !reports.isEmpty else { throw APIError(status: .notFound, message: "switch_id does not exist") }
            var json = JSONWriter(capacity: (metric == nil ? 512 : 64) * reports.count + 64)
            json.raw("{\"switch_id\":")
            json.string(id)
            if let metric {
                json.raw(",\"metric\":")
                json.string(metric.rawValue)
                json.raw(",\"points\":[")
                var first = true
                for report in reports {
                    guard let value = report.value(of: metric) else { continue }
                    if !first { json.raw(",") }
                    first = false
                    json.raw("{\"timestamp\":")
                    json.integer(report.timestamp)
                    json.raw(",\"value\":")
                    ReportJSON.value(value, into: &json)
                    json.raw("}")
                }
            } else {
                json.raw(",\"reports\":[")
                for (index, report) in reports.enumerated() {
                    if index > 0 { json.raw(",") }
                    ReportJSON.report(report, into: &json)
                }
            }
            json.raw("]}")
            return APIResponse.json(json)
        }
        return router
    }

    private static func validSwitchID(_ context: BasicRequestContext) throws -> String {
        // The path segment as sent: `sw%31` and `a%3Ab` name sw1 and a:b.
        guard let raw = context.parameters.get("id"), let id = raw.removingPercentEncoding, SwitchReport.isValidSwitchID(id) else {
            throw APIError(status: .badRequest, message: "switch id must be 1-64 of A-Z a-z 0-9 _ . : - starting with a letter or digit")
        }
        return id
    }
}
