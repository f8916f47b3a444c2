import Foundation
import Logging
import RedisClient
import Synchronization

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
    /// `last_update_time` as last read or written, and when: reused for `lastUpdateReuse` seconds
    /// (writes of this process update it at once).
    private let lastUpdate = Mutex<(value: Int64?, at: ContinuousClock.Instant?, writes: UInt64)>((nil, nil, 0))
    static let lastUpdateReuse: Duration = .milliseconds(200)
    /// The latest snapshot as loaded (SCAN + MGET), shared by every read under the same token.
    private let snapshot = SingleFlightCache<Snapshot>()

    private struct Snapshot: Sendable {
        var reports: [SwitchReport]
        var index: [String: Int]
    }

    static let lastUpdateKey = "last_update_time"
    /// Sets `last_update_time` only forward; answers its value.
    static let advanceScript = """
        local current = tonumber(redis.call('GET', KEYS[1]) or '-1')
        if tonumber(ARGV[1]) > current then redis.call('SET', KEYS[1], ARGV[1]) end
        return redis.call('GET', KEYS[1])
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
        // What Redis now holds (not what this process last saw: Redis may have restarted empty).
        let current = replies.last?.string.flatMap { Int64($0) }
        lastUpdate.withLock { state in
            state.value = current ?? newest
            state.at = .now
            state.writes &+= 1
        }
    }

    public func snapshotToken() async throws(MetricStoreError) -> String {
        let timestamp = try await lastUpdateTime()
        let writes = lastUpdate.withLock { $0.writes }
        // Another process may add reports to the same snapshot: the token also turns every second.
        let second = Int64(Date().timeIntervalSince1970)
        return "\(timestamp ?? -1):\(writes):\(second)"
    }

    public func latestSnapshot() async throws(MetricStoreError) -> [SwitchReport] {
        try await currentSnapshot().reports
    }

    /// The latest snapshot, loaded once per token (so at most about once a second for changes other
    /// processes make, at once for this process's writes) however many requests ask meanwhile.
    private func currentSnapshot() async throws(MetricStoreError) -> Snapshot {
        let token = try await snapshotToken()
        do {
            return try await snapshot.value(token: token) { [self] in try await loadSnapshot() }
        } catch let error as MetricStoreError {
            throw error
        } catch {
            throw MetricStoreError("Redis is unavailable: \(error)")
        }
    }

    private func loadSnapshot() async throws(MetricStoreError) -> Snapshot {
        guard let timestamp = try await lastUpdateTime() else { return Snapshot(reports: [], index: [:]) }
        let keys = try await run { try await client.scan(match: "\(timestamp)/*", count: 1_000) }
        guard !keys.isEmpty else { return Snapshot(reports: [], index: [:]) }
        let values = try await run { try await client.mget(keys) }
        var reports: [SwitchReport] = []
        reports.reserveCapacity(keys.count)
        let prefix = String(timestamp).count + 1
        for (key, value) in zip(keys, values) {
            guard let value, let report = FlatJSON.metrics(value, switchID: String(key.dropFirst(prefix)), timestamp: timestamp) else { continue }
            reports.append(report)
        }
        reports.sort(by: SwitchReport.naturalOrder)
        var index: [String: Int] = [:]
        index.reserveCapacity(reports.count)
        for (position, report) in reports.enumerated() { index[report.switchID] = position }
        return Snapshot(reports: reports, index: index)
    }

    public func latest(switchID: String, counters: Bool) async throws(MetricStoreError) -> SwitchReport? {
        guard let timestamp = try await lastUpdateTime() else { return nil }
        let key = Array("\(timestamp)/\(switchID)".utf8)
        guard counters else {
            // The original's three metrics: from the shared snapshot.
            let snapshot = try await currentSnapshot()
            return snapshot.index[switchID].map { snapshot.reports[$0] }
        }
        // The record and, for the interface counters, the newest whole report: one round trip.
        let replies = try await run {
            try await client.send([
                RESPCommand("GET", key),
                RESPCommand("ZREVRANGE", Array(Self.historyKey(switchID).utf8), Array("0".utf8), Array("0".utf8)),
            ])
        }
        guard let value = replies[0].bytes else { return nil }
        if let whole = replies[1].array?.first?.bytes.flatMap(FlatJSON.report), whole.timestamp == timestamp { return whole }
        return try metrics(value, switchID: switchID, timestamp: timestamp)
    }

    private func metrics(_ value: [UInt8], switchID: String, timestamp: Int64) throws(MetricStoreError) -> SwitchReport {
        guard let report = FlatJSON.metrics(value, switchID: switchID, timestamp: timestamp) else {
            throw MetricStoreError("the value at \(timestamp)/\(switchID) is not a metrics record")
        }
        return report
    }

    public func newest(switchID: String) async throws(MetricStoreError) -> SwitchReport? {
        try await history(switchID: switchID, limit: 1).first
    }

    public func history(switchID: String, limit: Int) async throws(MetricStoreError) -> [SwitchReport] {
        let key = Array(Self.historyKey(switchID).utf8)
        let reply = try await run {
            try await client.execute(RESPCommand("ZREVRANGE", key, Array("0".utf8), Array(String(max(limit, 1) - 1).utf8)))
        }
        return (reply.array ?? []).compactMap { $0.bytes.flatMap(FlatJSON.report) }
    }

    public func isAvailable() async -> Bool { (try? await client.ping()) == true }

    private func lastUpdateTime() async throws(MetricStoreError) -> Int64? {
        let now = ContinuousClock.now
        if let cached = lastUpdate.withLock({ state in state.at.map { now - $0 < Self.lastUpdateReuse } == true ? state.value : nil }) {
            return cached
        }
        let bytes = try await run { try await client.get(Self.lastUpdateKey) }
        let value = bytes.flatMap { Int64(String(decoding: $0, as: UTF8.self)) }
        lastUpdate.withLock { state in
            state.value = value
            state.at = now
        }
        return value
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
