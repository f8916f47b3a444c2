import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import RedisClient
import TestSupport
import Testing
@testable import Ingester

@Suite("Ingester on a real redis-server")
struct RedisStoreTests {
    func redis(_ server: RedisServer) -> RedisClient {
        // Generous timeouts: the whole suite runs at once on two cores, and these tests are not
        // about timeouts.
        RedisClient(configuration: RedisConfiguration(host: "127.0.0.1", port: server.port, connectTimeout: 60, commandTimeout: 60), logger: quiet)
    }

    @Test("a report's key expires 30 s after it is written")
    func reportsExpireAfterThirtySeconds() async throws {
        let server = try RedisServer()
        let client = redis(server)
        defer { client.close() }
        let store = RedisMetricStore(client: client, logger: quiet)
        try await app(store: store).test(.router) { http in
            let written = ContinuousClock.now
            #expect(try await post(http, snapshotJSON(timestamp: 1_700_000_000, switches: 1...3)).status == .ok)
            // At most 30 s left, and at least 30 s minus the time since the write began (measured,
            // so a slow machine does not fail the check; past 30 s the key is gone, PTTL -2).
            let remaining = try await client.execute(RESPCommand("PTTL", Array("1700000000/sw2".utf8))).integer ?? -1
            let elapsed = ContinuousClock.now - written
            let elapsedMilliseconds = Int(elapsed.components.seconds) * 1000 + Int(elapsed.components.attoseconds / 1_000_000_000_000_000)
            if elapsedMilliseconds >= 30_000 {
                #expect(remaining == -2 || remaining <= 30_000, "PTTL \(remaining) ms, \(elapsedMilliseconds) ms after the write")
            } else {
                #expect(remaining <= 30_000 && remaining >= 30_000 - elapsedMilliseconds - 1, "PTTL \(remaining) ms, \(elapsedMilliseconds) ms after the write")
            }
        }
    }

    @Test("the Go ingester's layout: {timestamp}/{switch_id} with a TTL, last_update_time, listed by SCAN; the routes answer as with memory")
    func layoutAndRoutes() async throws {
        let server = try RedisServer()
        let client = redis(server)
        defer { client.close() }
        // Keys that outlive a slow machine (the 30 s of the default are checked above).
        let store = RedisMetricStore(client: client, reportTTL: 86_400, logger: quiet)
        try await app(store: store).test(.router) { http in
            #expect(try await post(http, snapshotJSON(timestamp: 1_700_000_000, switches: 1...100)).status == .ok)
            #expect(try await post(http, snapshotJSON(timestamp: 1_699_999_990, switches: 1...3)).status == .ok, "a late, older snapshot")
            #expect(try await client.get("last_update_time") == Array("1700000000".utf8))
            let record = try #require(try await client.get("1700000000/sw5"))
            #expect(String(decoding: record, as: UTF8.self) == #"{"bandwidth_mbps":500.25,"latency_ms":12.5,"packet_errors":5}"#)
            let remaining = try await client.execute(RESPCommand("PTTL", Array("1700000000/sw5".utf8))).integer ?? -1
            #expect(remaining > 80_000_000 && remaining <= 86_400_000, "PTTL \(remaining) ms with a one-day TTL")
            #expect(try await client.scan(match: "1700000000/*").count == 100)

            try await http.execute(uri: "/telemetry/ListMetrics", method: .get) { response in
                let list = try #require(try JSONSerialization.jsonObject(with: Data(body(response).utf8)) as? [[String: [String: Any]]])
                #expect(list.count == 100 && list.first?.keys.first == "sw1" && list.last?.keys.first == "sw100")
                #expect(list[4]["sw5"]?["packet_errors"] as? Int == 5)
            }
            try await http.execute(uri: "/telemetry/GetMetric?switch_id=sw5&metric=latency_ms", method: .get) { response in
                #expect(response.status == .ok && body(response) == "12.5")
            }
            try await http.execute(uri: "/telemetry/GetMetric?switch_id=sw5&metric=crc_errors", method: .get) { response in
                #expect(response.status == .ok && body(response) == "1")
            }
            try await http.execute(uri: "/telemetry/GetMetric?switch_id=unknown_sw&metric=bandwidth_mbps", method: .get) { response in
                #expect(response.status == .notFound && body(response) == "switch_id does not exist\n")
            }
            try await http.execute(uri: "/telemetry/switches/sw2/history?metric=bandwidth_mbps", method: .get) { response in
                #expect(body(response) == #"{"switch_id":"sw2","metric":"bandwidth_mbps","points":[{"timestamp":1700000000,"value":200.25},{"timestamp":1699999990,"value":200.25}]}"#)
            }
        }
    }

    @Test("the history: a hash of whole reports per snapshot, an index of the newest snapshots; older ones unlinked, gaps skipped")
    func historyBySnapshot() async throws {
        let server = try RedisServer()
        let client = redis(server)
        defer { client.close() }
        let store = RedisMetricStore(client: client, reportTTL: 86_400, historyLength: 4, historyTTL: 86_400, maxFutureSkew: nil, logger: quiet)
        // Six snapshots of sw1...sw3; sw3 is missing from the fifth. Two given in one put, out of order.
        for timestamp in Int64(100)...103 {
            try await store.put(try ReportParser.json(Array(snapshotJSON(timestamp: timestamp, switches: 1...3).utf8)).reports)
        }
        var reports = try ReportParser.json(Array(snapshotJSON(timestamp: 105, switches: 1...3).utf8)).reports
        reports += try ReportParser.json(Array(snapshotJSON(timestamp: 104, switches: 1...2, latency: 7).utf8)).reports
        try await store.put(reports)

        let index = try await client.execute(RESPCommand("ZRANGE", Array("netchaos:snapshots".utf8), Array("0".utf8), Array("-1".utf8)))
        #expect(index.array?.compactMap { $0.bytes.map { String(decoding: $0, as: UTF8.self) } } == ["102", "103", "104", "105"])
        for dropped in ["100", "101"] {
            #expect(try await client.execute(RESPCommand("EXISTS", Array("netchaos:reports:\(dropped)".utf8))).integer == 0, "snapshot \(dropped) unlinked")
        }
        #expect(try await client.execute(RESPCommand("HLEN", Array("netchaos:reports:104".utf8))).integer == 2)
        let ttl = try await client.execute(RESPCommand("TTL", Array("netchaos:reports:105".utf8))).integer ?? -1
        #expect(ttl > 80_000 && ttl <= 86_400, "the hash expires with the history's TTL: \(ttl) s")

        #expect(try await store.history(switchID: "sw1", limit: 10).map(\.timestamp) == [105, 104, 103, 102])
        #expect(try await store.history(switchID: "sw3", limit: 10).map(\.timestamp) == [105, 103, 102], "the snapshot without sw3 is skipped")
        #expect(try await store.history(switchID: "sw3", limit: 2).map(\.timestamp) == [105, 103])
        #expect(try await store.history(switchID: "sw2", limit: 10).first { $0.timestamp == 104 }?.latencyMs == 7)
        #expect(try await store.history(switchID: "sw9", limit: 10).isEmpty)
        #expect(try await store.newest(switchID: "sw3")?.timestamp == 105)
        // The counters of the latest snapshot come from its hash.
        let latest = try #require(try await store.latest(switchID: "sw2", counters: true))
        #expect(latest.timestamp == 105 && latest.crcErrors == 1 && latest.label == "normal")
    }

    @Test("a snapshot written by the original ingester (its keys only) is served as it is")
    func readsTheOriginalsKeys() async throws {
        let server = try RedisServer()
        let client = redis(server)
        defer { client.close() }
        try await client.set("1700000100/sw7", Array(#"{"bandwidth_mbps":42.5,"latency_ms":3,"packet_errors":0}"#.utf8), expirySeconds: 3_600)
        try await client.set("last_update_time", Array("1700000100".utf8))
        try await app(store: RedisMetricStore(client: client, logger: quiet)).test(.router) { http in
            try await http.execute(uri: "/telemetry/ListMetrics", method: .get) { response in
                #expect(body(response) == #"[{"sw7":{"bandwidth_mbps":42.5,"latency_ms":3.0,"packet_errors":0}}]"#)
            }
            try await http.execute(uri: "/telemetry/GetMetric?switch_id=sw7&metric=latency_ms", method: .get) { response in
                #expect(body(response) == "3.0")
            }
        }
    }

    @Test("Redis restarted in the middle of requests: 503 with a JSON error meanwhile, then service resumes by itself")
    func restart() async throws {
        let server = try RedisServer()
        let client = RedisClient(configuration: RedisConfiguration(host: "127.0.0.1", port: server.port, connectTimeout: 30, commandTimeout: 60), logger: quiet)
        defer { client.close() }
        try await app(store: RedisMetricStore(client: client, logger: quiet)).test(.router) { http in
            #expect(try await post(http, snapshotJSON(timestamp: 10, switches: 1...5)).status == .ok)
            server.stop()
            for uri in ["/telemetry/ListMetrics", "/telemetry/GetMetric?switch_id=sw1&metric=latency_ms", "/telemetry/switches/sw1"] {
                try await http.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .serviceUnavailable, "\(uri): \(response.status)")
                    #expect(response.headers[.contentType] == "application/json" && body(response) == #"{"error":"metrics store (Redis) is unavailable; retry later","status":503}"#, "\(body(response))")
                    #expect(response.headers[.retryAfter] == "1")
                }
            }
            let refused = try await post(http, snapshotJSON(timestamp: 20, switches: 1...5))
            #expect(refused.status == .serviceUnavailable, "a write that cannot be stored is refused, never dropped silently")
            #expect(try await http.execute(uri: "/health", method: .get) { $0.status } == .ok, "the process itself is up")
            try server.start()
            var recovered = false
            let deadline = Date().addingTimeInterval(180)  // a ceiling for a starved machine
            while !recovered && Date() < deadline {
                recovered = try await post(http, snapshotJSON(timestamp: 30, switches: 1...5)).status == .ok
                if !recovered { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(recovered, "the ingester did not resume after Redis came back")
            try await http.execute(uri: "/telemetry/GetMetric?switch_id=sw3&metric=packet_errors", method: .get) { response in
                #expect(response.status == .ok && body(response) == "3")
            }
        }
    }
}
