import Foundation
import Logging
import RedisClient

/// Switch metrics in Redis, in the original ingester's layout so that either can read what the
/// other wrote: `{timestamp}/{switch_id}` holds the original's three metrics for `reportTTL`
/// seconds (30), and `last_update_time` the newest snapshot's timestamp, set after its reports
/// (and never moved back by a late report). The list is `SCAN {ts}/*` and one `MGET`, never
/// `KEYS`. Besides, `netchaos:history:{switch_id}` is a sorted set of whole reports by timestamp
/// (the newest `historyLength`, kept `historyTTL` seconds).
public final class RedisMetricStore: MetricStore {
    public let client: RedisClient
    public let reportTTL: Int
    public let historyLength: Int
    public let historyTTL: Int
    private let logger: Logger

    static let lastUpdateKey = "last_update_time"
    /// Sets `last_update_time` only forward.
    static let advanceScript = """
        local current = tonumber(redis.call('GET', KEYS[1]) or '-1')
        if tonumber(ARGV[1]) > current then redis.call('SET', KEYS[1], ARGV[1]) end
        return 1
        """

    public init(client: RedisClient, reportTTL: Int = 30, historyLength: Int = 360, historyTTL: Int = 3_600, logger: Logger) {
        self.client = client
        self.reportTTL = reportTTL
        self.historyLength = historyLength
        self.historyTTL = historyTTL
        self.logger = logger
    }

    public var name: String { "redis" }

    static func historyKey(_ switchID: String) -> String { "netchaos:history:\(switchID)" }

    public func put(_ reports: [SwitchReport]) async throws(MetricStoreError) {
        guard let newest = reports.map(\.timestamp).max() else { return }
        var commands: [RESPCommand] = []
        commands.reserveCapacity(reports.count * 5 + 1)
        for report in reports {
            var metrics = ""
            ReportJSON.originalMetrics(report, into: &metrics)
            commands.append(RedisClient.setCommand("\(report.timestamp)/\(report.switchID)", Array(metrics.utf8), expirySeconds: reportTTL))
            var whole = ""
            ReportJSON.report(report, into: &whole)
            let key = Array(Self.historyKey(report.switchID).utf8)
            let score = Array(String(report.timestamp).utf8)
            commands.append(RESPCommand("ZREMRANGEBYSCORE", key, score, score))
            commands.append(RESPCommand("ZADD", key, score, Array(whole.utf8)))
            commands.append(RESPCommand("ZREMRANGEBYRANK", key, Array("0".utf8), Array(String(-(historyLength + 1)).utf8)))
            commands.append(RESPCommand("EXPIRE", key, Array(String(historyTTL).utf8)))
        }
        commands.append(RESPCommand("EVAL", Array(Self.advanceScript.utf8), Array("1".utf8), Array(Self.lastUpdateKey.utf8), Array(String(newest).utf8)))
        let replies = try await run { try await client.send(commands) }
        if let failure = replies.first(where: { if case .error = $0 { true } else { false } }), case .error(let message) = failure {
            throw MetricStoreError("Redis refused a write: \(message)")
        }
    }

    public func latestSnapshot() async throws(MetricStoreError) -> [SwitchReport] {
        guard let timestamp = try await lastUpdateTime() else { return [] }
        let keys = try await run { try await client.scan(match: "\(timestamp)/*", count: 1_000) }
        guard !keys.isEmpty else { return [] }
        let values = try await run { try await client.mget(keys) }
        var reports: [SwitchReport] = []
        reports.reserveCapacity(keys.count)
        let decoder = JSONDecoder()
        for (key, value) in zip(keys, values) {
            guard let value, let stored = try? decoder.decode(StoredMetrics.self, from: Data(value)) else { continue }
            let switchID = String(key.dropFirst(String(timestamp).count + 1))
            reports.append(SwitchReport(
                switchID: switchID, timestamp: timestamp, bandwidthMbps: stored.bandwidth_mbps, latencyMs: stored.latency_ms,
                packetErrors: stored.packet_errors
            ))
        }
        return reports.sorted(by: SwitchReport.naturalOrder)
    }

    public func latest(switchID: String) async throws(MetricStoreError) -> SwitchReport? {
        guard let timestamp = try await lastUpdateTime() else { return nil }
        // The record and, for the interface counters, the newest whole report: one round trip.
        let replies = try await run {
            try await client.send([
                RESPCommand("GET", Array("\(timestamp)/\(switchID)".utf8)),
                RESPCommand("ZREVRANGE", Array(Self.historyKey(switchID).utf8), Array("0".utf8), Array("0".utf8)),
            ])
        }
        guard let value = replies[0].bytes else { return nil }
        let decoder = JSONDecoder()
        if let whole = replies[1].array?.first?.bytes.flatMap({ try? decoder.decode(StoredReport.self, from: Data($0)).report }),
           whole.timestamp == timestamp {
            return whole
        }
        guard let stored = try? decoder.decode(StoredMetrics.self, from: Data(value)) else {
            throw MetricStoreError("the value at \(timestamp)/\(switchID) is not a metrics record")
        }
        return SwitchReport(
            switchID: switchID, timestamp: timestamp, bandwidthMbps: stored.bandwidth_mbps, latencyMs: stored.latency_ms, packetErrors: stored.packet_errors
        )
    }

    public func newest(switchID: String) async throws(MetricStoreError) -> SwitchReport? {
        try await history(switchID: switchID, limit: 1).first
    }

    public func history(switchID: String, limit: Int) async throws(MetricStoreError) -> [SwitchReport] {
        let key = Array(Self.historyKey(switchID).utf8)
        let reply = try await run {
            try await client.execute(RESPCommand("ZREVRANGE", key, Array("0".utf8), Array(String(max(limit, 1) - 1).utf8)))
        }
        let decoder = JSONDecoder()
        return (reply.array ?? []).compactMap { value in
            value.bytes.flatMap { try? decoder.decode(StoredReport.self, from: Data($0)).report }
        }
    }

    public func isAvailable() async -> Bool { (try? await client.ping()) == true }

    private func lastUpdateTime() async throws(MetricStoreError) -> Int64? {
        guard let bytes = try await run({ try await client.get(Self.lastUpdateKey) }) else { return nil }
        return Int64(String(decoding: bytes, as: UTF8.self))
    }

    /// Runs a Redis call, turning its failure into the store's (503 for the caller).
    private func run<T>(_ body: () async throws -> T) async throws(MetricStoreError) -> T {
        do {
            return try await body()
        } catch let error as RedisError {
            throw MetricStoreError("Redis is unavailable: \(error.message)")
        } catch {
            throw MetricStoreError("Redis is unavailable: \(error)")
        }
    }
}
