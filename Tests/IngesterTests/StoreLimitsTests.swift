import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import RedisClient
import TestSupport
import Testing
@testable import Ingester

/// Reports of switches `sw<first>`...`sw<last>` at one timestamp.
func reports(_ switches: ClosedRange<Int>, timestamp: Int64 = 1_700_000_000) -> [SwitchReport] {
    switches.map { SwitchReport(switchID: "sw\($0)", timestamp: timestamp, bandwidthMbps: Double($0), latencyMs: 1, packetErrors: 0) }
}

func responseText(_ response: TestResponse) -> String { String(buffer: response.body) }

/// A log handler that keeps what it is given, for checking what a component logged.
final class CapturedLog: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [(message: String, metadata: Logger.Metadata)] = []

    var logger: Logger {
        Logger(label: "test") { _ in Handler(sink: self) }
    }

    var entries: [(message: String, metadata: Logger.Metadata)] { lock.withLock { lines } }

    struct Handler: LogHandler {
        let sink: CapturedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            sink.lock.withLock { sink.lines.append((event.message.description, event.metadata ?? [:])) }
        }
    }
}

@Suite("Store limits: eviction in one pass, future timestamps, Redis repaired and refused")
struct StoreLimitsTests {
    @Test("beyond maxSwitches the switches written longest ago are forgotten, the newest kept, in one put of 300,000")
    func evictionKeepsTheNewest() async throws {
        let store = MemoryMetricStore(reportTTL: 86_400, maxSwitches: 100_000)
        try await store.put(reports(1...300_000))
        #expect(store.rememberedSwitches == 100_000)
        #expect(try await store.newest(switchID: "sw1") == nil)
        #expect(try await store.newest(switchID: "sw200000") == nil)
        #expect(try await store.newest(switchID: "sw200001")?.bandwidthMbps == 200_001)
        #expect(try await store.newest(switchID: "sw300000")?.bandwidthMbps == 300_000)
        #expect(try await store.latestSnapshot().count == 300_000, "the snapshot itself keeps every report until it expires")
        // A switch written again is newer than the ones written once after it.
        try await store.put(reports(200_001...200_001, timestamp: 1_700_000_010))
        try await store.put(reports(300_001...300_001, timestamp: 1_700_000_010))
        #expect(try await store.newest(switchID: "sw200001")?.timestamp == 1_700_000_010)
        #expect(try await store.newest(switchID: "sw200002") == nil, "the oldest left went for sw300001")
        #expect(try await store.newest(switchID: "sw300001") != nil && store.rememberedSwitches == 100_000)
    }

    @Test("the write order: oldest first, a rewrite moves a key to the end, and the queue stays bounded")
    func writeOrder() {
        var order = WriteOrder<Int>()
        for round in 0..<50 {
            for key in 0..<1_000 { order.written(key) }
            #expect(order.count == 1_000, "round \(round)")
        }
        order.written(0)
        #expect(order.takeOldest() == 1 && order.takeOldest() == 2)
        for _ in 3..<1_000 { _ = order.takeOldest() }
        #expect(order.takeOldest() == 0 && order.takeOldest() == nil && order.count == 0)
    }

    @Test("the memory store refuses a batch with a timestamp too far ahead, storing none of it")
    func memoryRefusesTheFuture() async throws {
        let store = MemoryMetricStore(maxFutureSkew: 300, clock: { 1_796_000_000 })
        try await store.put(reports(1...2, timestamp: 1_796_000_000))
        let error = await #expect(throws: MetricStoreError.self) { try await store.put(reports(3...3, timestamp: 1_796_000_000) + reports(4...4, timestamp: 99_999_999_999)) }
        #expect(error?.code == .refused && error?.message == "record 1: timestamp 99999999999 is 3111 years ahead of the server's clock (at most 5m ahead)")
        #expect(try await store.latestSnapshot().map(\.switchID) == ["sw1", "sw2"], "the latest snapshot did not move")
        #expect(try await store.newest(switchID: "sw3") == nil)
        try await store.put(reports(5...5, timestamp: 1_000_000_000))
        #expect(try await store.latestSnapshot().map(\.switchID) == ["sw1", "sw2"], "the past is kept but never moves the latest back")
        #expect(try await store.newest(switchID: "sw5")?.timestamp == 1_000_000_000)
    }

    @Test("POST: a future record is a 400 naming it, nothing of the request is stored, and the switches stay visible")
    func routesRefuseTheFuture() async throws {
        let store = longLivedStore()
        try await app(store: store).test(.router) { client in
            let now = Int64(Date().timeIntervalSince1970)
            #expect(try await post(client, snapshotJSON(timestamp: now, switches: 1...3)).status == .ok)
            let body = "[" + recordJSON(1, timestamp: now) + "," + recordJSON(2, timestamp: now) + "," + recordJSON(3, timestamp: now) + "," + recordJSON(4, timestamp: 99_999_999_999) + "]"
            let refused = try await post(client, body)
            #expect(refused.status == .badRequest)
            #expect(responseText(refused).hasPrefix(#"{"error":"record 3: timestamp 99999999999 is "#) && responseText(refused).hasSuffix(#" years ahead of the server's clock (at most 5m ahead)","status":400}"#), "\(responseText(refused))")
            #expect(try await store.newest(switchID: "sw4") == nil)
            try await client.execute(uri: "/telemetry/GetMetric?switch_id=sw2&metric=latency_ms", method: .get) { response in
                #expect(response.status == .ok && responseText(response) == "12.5")
            }
        }
    }

    @Test("lenient: the answer says what was ignored")
    func lenientAnswer() async throws {
        var configuration = IngestConfiguration()
        configuration.lenient = true
        let stats = IngestStats()
        let application = Application(router: IngestRouter.build(store: longLivedStore(), configuration: configuration, stats: stats, logger: quiet))
        try await application.test(.router) { client in
            let body = "[" + recordJSON(1, extra: ",\"latency_ms\":3,\"x\":1") + "," + recordJSON(2, extra: ",\"y\":null") + "]"
            let response = try await post(client, body)
            #expect(responseText(response) == #"{"stored":2,"switches":2,"latest_timestamp":1700000000,"ignored":{"duplicate_keys":1,"unknown_fields":2}}"#)
        }
        #expect(stats.snapshot.ignoredDuplicateKeys == 1 && stats.snapshot.ignoredUnknownFields == 2)
        try await app().test(.router) { client in
            let response = try await post(client, "[" + recordJSON(1, extra: ",\"x\":1") + "]")
            #expect(response.status == .badRequest && responseText(response) == #"{"error":"record 0: unknown field x","status":400}"#)
        }
    }

    // MARK: - Redis

    func redis(_ server: RedisServer, password: String? = nil) -> RedisClient {
        RedisClient(configuration: RedisConfiguration(host: "127.0.0.1", port: server.port, password: password, connectTimeout: 60, commandTimeout: 60), logger: quiet)
    }

    @Test("Redis: a future last_update_time is set back to the newest snapshot within the window, logged; none: deleted")
    func repair() async throws {
        let server = try RedisServer()
        let client = redis(server)
        defer { client.close() }
        let log = CapturedLog()
        let store = RedisMetricStore(client: client, reportTTL: 86_400, logger: log.logger)
        let now = Date().timeIntervalSince1970
        let current = Int64(now) - 20
        try await store.put(reports(1...3, timestamp: current - 10))
        try await store.put(reports(1...2, timestamp: current))
        try await client.set("\(Int64(now) + 3_600)/sw9", Array(#"{"bandwidth_mbps":1,"latency_ms":1,"packet_errors":0}"#.utf8))
        try await client.set("last_update_time", Array("99999999999".utf8))
        let repaired = try await store.repairFutureLastUpdate(now: now)
        #expect(repaired == RedisMetricStore.LastUpdateRepair(old: 99_999_999_999, new: current))
        #expect(try await client.get("last_update_time") == Array(String(current).utf8))
        let entry = try #require(log.entries.first { $0.message.hasPrefix("repaired last_update_time") })
        #expect(entry.metadata["ingest.last_update_time.old"]?.description == "99999999999" && entry.metadata["ingest.last_update_time.new"]?.description == String(current))
        #expect(try await store.repairFutureLastUpdate(now: now) == nil, "nothing left to repair")

        try await client.execute(RESPCommand("FLUSHALL"))
        try await client.set("last_update_time", Array("99999999999".utf8))
        #expect(try await store.repairFutureLastUpdate(now: now) == RedisMetricStore.LastUpdateRepair(old: 99_999_999_999, new: nil))
        #expect(try await client.get("last_update_time") == nil)
    }

    @Test("Redis: a future last_update_time written while serving is repaired by the next read, and the switches show again")
    func repairOnRead() async throws {
        let server = try RedisServer()
        let client = redis(server)
        defer { client.close() }
        let store = RedisMetricStore(client: client, reportTTL: 86_400, logger: quiet)
        try await app(store: store).test(.router) { http in
            let now = Int64(Date().timeIntervalSince1970)
            #expect(try await post(http, snapshotJSON(timestamp: now, switches: 1...5)).status == .ok)
            try await client.set("last_update_time", Array("99999999999".utf8))
            // Reads repair it once the store reads last_update_time again (it reuses the value it
            // read for at most 200 ms); a ceiling for a starved machine, in attempts.
            var repaired = false
            var attempts = 0
            while !repaired && attempts < 2_400 {
                attempts += 1
                _ = try await http.execute(uri: "/telemetry/ListMetrics", method: .get) { $0.status }
                repaired = try await client.get("last_update_time") == Array(String(now).utf8)
                if !repaired { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(repaired)
            try await http.execute(uri: "/telemetry/ListMetrics", method: .get) { response in
                let list = try JSONSerialization.jsonObject(with: Data(responseText(response).utf8)) as? [[String: Any]]
                #expect(list?.compactMap(\.keys.first) == ["sw1", "sw2", "sw3", "sw4", "sw5"])
            }
        }
    }

    @Test("Redis: a POST larger than one batch and a snapshot larger than one MGET are stored and listed whole")
    func largeRedisSnapshot() async throws {
        let server = try RedisServer()
        let client = redis(server)
        defer { client.close() }
        let store = RedisMetricStore(client: client, reportTTL: 86_400, logger: quiet)
        let count = RedisMetricStore.reportsPerPipeline * 2 + 7
        try await store.put(reports(1...count))
        let listed = try await store.latestSnapshot()
        #expect(listed.count == count && listed.first?.switchID == "sw1" && listed.last?.switchID == "sw\(count)")
        #expect(listed[2_999] == SwitchReport(switchID: "sw3000", timestamp: 1_700_000_000, bandwidthMbps: 3_000, latencyMs: 1, packetErrors: 0))
        #expect(try await store.history(switchID: "sw\(count)", limit: 5).map(\.timestamp) == [1_700_000_000])
    }

    @Test("Redis refusing the password stops the start with the setting's name; Redis away does not")
    func startup() async throws {
        let server = try RedisServer(password: "s3cret")
        let wrong = redis(server, password: "nope")
        defer { wrong.close() }
        let error = await #expect(throws: MetricStoreStartup.Failure.self) {
            try await MetricStoreStartup.start(RedisMetricStore(client: wrong, logger: quiet), logger: quiet)
        }
        #expect(error?.description.hasPrefix("redis.url (REDIS_URL, --redis): Redis refused the password: WRONGPASS") == true, "\(String(describing: error))")
        let none = redis(server)
        defer { none.close() }
        let missing = await #expect(throws: MetricStoreStartup.Failure.self) {
            try await MetricStoreStartup.start(RedisMetricStore(client: none, logger: quiet), logger: quiet)
        }
        #expect(missing?.description.hasPrefix("redis.url (REDIS_URL, --redis): Redis requires a password: NOAUTH") == true, "\(String(describing: missing))")
        let right = redis(server, password: "s3cret")
        defer { right.close() }
        try await MetricStoreStartup.start(RedisMetricStore(client: right, logger: quiet), logger: quiet)

        server.stop()
        let log = CapturedLog()
        let away = RedisClient(configuration: RedisConfiguration(host: "127.0.0.1", port: server.port, connectTimeout: 5, commandTimeout: 5), logger: quiet)
        defer { away.close() }
        try await MetricStoreStartup.start(RedisMetricStore(client: away, logger: quiet), logger: log.logger)
        #expect(log.entries.contains { $0.message == "redis unavailable at start; requests get 503 until it answers" })
    }

    @Test("Redis away: 503 says what is unavailable, the log has where and why")
    func unavailableMessages() async throws {
        let server = try RedisServer()
        let client = RedisClient(configuration: RedisConfiguration(host: "127.0.0.1", port: server.port, connectTimeout: 5, commandTimeout: 5), logger: quiet)
        defer { client.close() }
        let log = CapturedLog()
        let application = Application(router: IngestRouter.build(
            store: RedisMetricStore(client: client, logger: quiet), configuration: IngestConfiguration(), stats: IngestStats(), logger: log.logger
        ))
        server.stop()
        try await application.test(.router) { http in
            for uri in ["/telemetry/ListMetrics", "/telemetry/switches/sw1"] {
                try await http.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .serviceUnavailable && responseText(response) == #"{"error":"metrics store (Redis) is unavailable; retry later","status":503}"#)
                }
            }
        }
        let logged = try #require(log.entries.first { $0.message == "metrics store failed a request" })
        let detail = logged.metadata["error"]?.description ?? ""
        #expect(detail.contains("redis://127.0.0.1:\(server.port)/0") && detail.contains("127.0.0.1:\(server.port)"), "\(detail)")
    }

    @Test("store failures are logged at once, then at most one line an interval with how many went unlogged")
    func storeErrorLogThrottles() {
        let log = CapturedLog()
        let throttle = StoreErrorLog(logger: log.logger, interval: .seconds(3_600))
        for _ in 0..<5 { throttle.record(.unavailable(store: "Redis", detail: "Redis at redis://h:1/0: refused"), path: "/x") }
        #expect(log.entries.count == 1 && log.entries[0].metadata["error"]?.description == "Redis at redis://h:1/0: refused")
        let every = CapturedLog()
        let unthrottled = StoreErrorLog(logger: every.logger, interval: .zero)
        for _ in 0..<3 { unthrottled.record(.unavailable(store: "Redis", detail: "d"), path: "/x") }
        #expect(every.entries.count == 3)
    }
}
