import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing
@testable import Ingester

let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

/// `count` switches of one snapshot as our generator posts them (JSON array).
func snapshotJSON(timestamp: Int64, switches: ClosedRange<Int>, latency: Double = 12.5) -> String {
    "[" + switches.map { n in
        "{\"timestamp\":\(timestamp),\"switch_id\":\"sw\(n)\",\"bandwidth_mbps\":\(Double(n) * 100 + 0.25),\"latency_ms\":\(latency),"
            + "\"packet_errors\":\(n % 7),\"link_speed_mbps\":10000,\"utilization_pct\":\(Double(n % 100) + 0.5),\"drops\":0,\"crc_errors\":1,"
            + "\"oper_status\":\"up\",\"label\":\"normal\",\"anomalies\":[],\"generator_id\":\"gen-1\",\"seq\":\(n)}"
    }.joined(separator: ",") + "]"
}

func body(_ response: TestResponse) -> String { String(buffer: response.body) }

/// A memory store whose reports outlive any pause of a loaded machine (the 30 s default TTL is
/// wall-clock time since the write; the tests of expiry inject a clock).
func longLivedStore() -> MemoryMetricStore { MemoryMetricStore(reportTTL: 86_400) }

func app(store: any MetricStore = longLivedStore(), configuration: IngestConfiguration = IngestConfiguration()) -> some ApplicationProtocol {
    Application(router: IngestRouter.build(store: store, configuration: configuration, stats: IngestStats(), logger: quiet))
}

func post(_ client: some TestClientProtocol, _ text: String, type: String = "application/json", token: String? = nil) async throws -> TestResponse {
    var headers: HTTPFields = [.contentType: type]
    if let token { headers[.authorization] = "Bearer \(token)" }
    return try await client.execute(uri: "/telemetry", method: .post, headers: headers, body: ByteBuffer(string: text))
}

@Suite("Ingester routes (HummingbirdTesting, memory store)")
struct IngestRoutesTests {
    @Test("the original's cases: /health is OK; sw5's three metrics with their types; the exact 400 and 404 texts")
    func originalCases() async throws {
        try await app().test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok && body(response) == "OK")
            }
            #expect(try await post(client, snapshotJSON(timestamp: 1_700_000_000, switches: 1...100)).status == .ok)
            try await client.execute(uri: "/telemetry/ListMetrics", method: .get) { response in
                #expect(response.status == .ok && response.headers[.contentType] == "application/json")
                let list = try #require(try JSONSerialization.jsonObject(with: Data(body(response).utf8)) as? [[String: [String: Any]]])
                #expect(list.count == 100 && list.allSatisfy { $0.count == 1 })
                #expect(list.first?.keys.first == "sw1" && list.last?.keys.first == "sw100", "natural order")
                let sw5 = try #require(list.first { $0["sw5"] != nil }?["sw5"])
                #expect(Set(sw5.keys) == ["bandwidth_mbps", "latency_ms", "packet_errors"])
                #expect(sw5["bandwidth_mbps"] as? Double == 500.25 && sw5["latency_ms"] as? Double == 12.5 && sw5["packet_errors"] as? Int == 5)
            }
            for (metric, expected) in [("latency_ms", "12.5"), ("bandwidth_mbps", "500.25"), ("packet_errors", "5"), ("oper_status", "\"up\""), ("utilization_pct", "5.5")] {
                try await client.execute(uri: "/telemetry/GetMetric?switch_id=sw5&metric=\(metric)", method: .get) { response in
                    #expect(response.status == .ok && body(response) == expected, "\(metric): \(body(response))")
                }
            }
            let cases: [(String, HTTPResponse.Status, String)] = [
                ("/telemetry/GetMetric?metric=latency_ms", .badRequest, "Missing switch_id parameter\n"),
                ("/telemetry/GetMetric?switch_id=sw5", .badRequest, "Missing metric parameter\n"),
                ("/telemetry/GetMetric?switch_id=unknown_sw&metric=bandwidth_mbps", .notFound, "switch_id does not exist\n"),
                ("/telemetry/GetMetric?switch_id=sw5&metric=temperature", .notFound, "metric does not exist\n"),
            ]
            for (uri, status, text) in cases {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == status && body(response) == text, "\(uri): \(response.status) \(body(response))")
                }
            }
            // Clients that ask for JSON get JSON errors.
            try await client.execute(uri: "/telemetry/GetMetric?switch_id=nope&metric=latency_ms", method: .get, headers: [.accept: "application/json"]) { response in
                #expect(response.status == .notFound && body(response) == #"{"error":"switch_id does not exist","status":404}"#)
            }
        }
    }

    @Test("the latest snapshot is the newest timestamp; a switch missing from it is gone from the list; history and /switches/{id} keep it")
    func snapshotsAndHistory() async throws {
        try await app().test(.router) { client in
            _ = try await post(client, snapshotJSON(timestamp: 100, switches: 1...3, latency: 1))
            _ = try await post(client, snapshotJSON(timestamp: 110, switches: 1...2, latency: 2))
            try await client.execute(uri: "/telemetry/ListMetrics", method: .get) { response in
                #expect(body(response).hasPrefix(#"[{"sw1":{"bandwidth_mbps":100.25,"latency_ms":2.0,"packet_errors":1}},{"sw2":"#))
                #expect(!body(response).contains("sw3"))
            }
            try await client.execute(uri: "/telemetry/GetMetric?switch_id=sw3&metric=latency_ms", method: .get) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/telemetry/switches/sw3", method: .get) { response in
                #expect(response.status == .ok)
                #expect(body(response).hasPrefix(#"{"switch_id":"sw3","timestamp":100,"bandwidth_mbps":300.25,"latency_ms":1.0,"packet_errors":3,"link_speed_mbps":10000"#))
            }
            try await client.execute(uri: "/telemetry/switches/sw1/history?metric=latency_ms", method: .get) { response in
                #expect(body(response) == #"{"switch_id":"sw1","metric":"latency_ms","points":[{"timestamp":110,"value":2.0},{"timestamp":100,"value":1.0}]}"#)
            }
            // A late, older report does not move the latest snapshot back.
            _ = try await post(client, snapshotJSON(timestamp: 90, switches: 1...1, latency: 9))
            try await client.execute(uri: "/telemetry/GetMetric?switch_id=sw1&metric=latency_ms", method: .get) { response in
                #expect(body(response) == "2.0")
            }
            try await client.execute(uri: "/telemetry/switches/sw1/history?metric=latency_ms&limit=5", method: .get) { response in
                #expect(body(response).hasSuffix(#"{"timestamp":100,"value":1.0},{"timestamp":90,"value":9.0}]}"#))
            }
            // The same snapshot posted again (a retry, or a correction) replaces its point, in place.
            _ = try await post(client, snapshotJSON(timestamp: 100, switches: 1...1, latency: 7))
            _ = try await post(client, snapshotJSON(timestamp: 100, switches: 1...1, latency: 7))
            try await client.execute(uri: "/telemetry/switches/sw1/history?metric=latency_ms&limit=5", method: .get) { response in
                #expect(body(response) == #"{"switch_id":"sw1","metric":"latency_ms","points":[{"timestamp":110,"value":2.0},{"timestamp":100,"value":7.0},{"timestamp":90,"value":9.0}]}"#)
            }
        }
    }

    @Test("CSV bodies as the original generator's /counters serves them")
    func csvBody() async throws {
        try await app().test(.router) { client in
            let csv = "timestamp,switch_id,bandwidth_mbps,latency_ms,packet_errors\n1700000000,sw1,1234.5,0.42,3\n1700000000,sw2,99.99,5,0\n"
            let response = try await post(client, csv, type: "text/csv")
            #expect(response.status == .ok && body(response) == #"{"stored":2,"switches":2,"latest_timestamp":1700000000}"#)
            try await client.execute(uri: "/telemetry/GetMetric?switch_id=sw1&metric=bandwidth_mbps", method: .get) { response in
                #expect(body(response) == "1234.5")
            }
            try await client.execute(uri: "/telemetry/GetMetric?switch_id=sw2&metric=drops", method: .get) { response in
                #expect(response.status == .notFound && body(response) == "metric does not exist\n", "the original's columns have no drops")
            }
        }
    }

    @Test("bad requests: JSON errors with the right status, nothing stored, never a 500", arguments: [
        ("application/json", "[{\"timestamp\":1,\"switch_id\":\"sw1\",\"bandwidth_mbps\":1,\"latency_ms\":1,\"packet_errors\":1.5}]", 400, "record 0: packet_errors 1.5 is not an integer"),
        ("application/json", "[{\"timestamp\":1,\"switch_id\":\"sw1\",\"bandwidth_mbps\":1,\"latency_ms\":1}]", 400, "packet_errors is missing"),
        ("application/json", "[{\"timestamp\":1,\"switch_id\":\"sw*\",\"bandwidth_mbps\":1,\"latency_ms\":1,\"packet_errors\":0}]", 400, "switch_id 'sw*'"),
        ("application/json", "[{\"timestamp\":1,\"switch_id\":\"a b\",\"bandwidth_mbps\":-1,\"latency_ms\":1,\"packet_errors\":0}]", 400, "bandwidth_mbps -1.0"),
        ("application/json", "{not json", 400, "not valid JSON"),
        ("text/csv", "switch_id,bandwidth_mbps\nsw1,1\n", 400, "header lacks timestamp, latency_ms, packet_errors"),
        ("text/csv", "timestamp,switch_id,bandwidth_mbps,latency_ms,packet_errors\n1,sw1,fast,1,1\n", 400, "line 2: bandwidth_mbps 'fast' is not a number"),
        ("text/plain", "hello", 415, "Content-Type must be application/json"),
    ])
    func badRequests(type: String, text: String, status: Int, message: String) async throws {
        let store = longLivedStore()
        try await app(store: store).test(.router) { client in
            let response = try await post(client, text, type: type)
            #expect(Int(response.status.code) == status, "\(body(response))")
            #expect(response.headers[.contentType] == "application/json")
            #expect(body(response).contains(message), "\(body(response))")
            #expect(try await store.latestSnapshot().isEmpty)
        }
    }

    @Test("413 above the body limit, 405 with Allow for a known path, 404 JSON for an unknown one, 400 for injected ids")
    func limitsAndMethods() async throws {
        var configuration = IngestConfiguration()
        configuration.maxBodyBytes = 2_048
        try await app(configuration: configuration).test(.router) { client in
            let big = try await post(client, snapshotJSON(timestamp: 1, switches: 1...50))
            #expect(big.status == .contentTooLarge && body(big).contains("INGEST_MAX_BODY"))
            try await client.execute(uri: "/telemetry/ListMetrics", method: .post) { response in
                #expect(response.status == .methodNotAllowed && response.headers[.allow] == "GET")
            }
            try await client.execute(uri: "/telemetry", method: .get) { response in
                #expect(response.status == .methodNotAllowed && response.headers[.allow] == "POST")
            }
            try await client.execute(uri: "/nowhere", method: .get) { response in
                #expect(response.status == .notFound && body(response) == #"{"error":"no route GET /nowhere","status":404}"#)
            }
            for id in ["sw%2A", "sw%3F", "%5Bsw%5D", "sw%20x"] {
                try await client.execute(uri: "/telemetry/GetMetric?switch_id=\(id)&metric=latency_ms", method: .get) { response in
                    #expect(response.status == .badRequest && body(response) == "Invalid switch_id parameter\n", "\(id)")
                }
            }
        }
    }

    @Test("with INGEST_TOKEN, writes need the bearer token; reads stay open")
    func token() async throws {
        var configuration = IngestConfiguration()
        configuration.token = "t0ken"
        try await app(configuration: configuration).test(.router) { client in
            let refused = try await post(client, snapshotJSON(timestamp: 1, switches: 1...1))
            #expect(refused.status == .unauthorized && refused.headers[.wwwAuthenticate] == "Bearer")
            #expect(try await post(client, snapshotJSON(timestamp: 1, switches: 1...1), token: "wrong").status == .unauthorized)
            #expect(try await post(client, snapshotJSON(timestamp: 1, switches: 1...1), token: "t0ken").status == .ok)
            try await client.execute(uri: "/telemetry/GetMetric?switch_id=sw1&metric=packet_errors", method: .get) { response in
                #expect(response.status == .ok && body(response) == "1")
            }
        }
    }

    @Test("reports expire after the report TTL, as the original's Redis keys did")
    func expiry() async throws {
        let now = Clock()
        let store = MemoryMetricStore(reportTTL: 30, clock: { now.value })
        try await store.put(ReportParser.json(Array(snapshotJSON(timestamp: 5, switches: 1...2).utf8)).reports)
        #expect(try await store.latestSnapshot().count == 2)
        now.value += 31
        #expect(try await store.latestSnapshot().isEmpty)
        #expect(try await store.latest(switchID: "sw1", counters: true) == nil)
        #expect(try await store.newest(switchID: "sw1")?.timestamp == 5, "history outlives the snapshot")
    }
}

/// A settable clock for expiry tests.
final class Clock: @unchecked Sendable {
    var value: Double = 1_000
}
