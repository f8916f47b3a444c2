import Foundation
import Logging
import RedisClient
import Synchronization
import TelemetryModel

/// Switch metrics in Redis, in the Go ingester's layout so that either can read what the
/// other wrote: `{timestamp}/{switch_id}` holds the Go ingester's three metrics for `reportTTL`
/// seconds (30), and `last_update_time` the newest snapshot's timestamp, set after its reports
/// (and never moved back by a late report). The list is `SCAN {ts}/*` and one `MGET`, never
/// `KEYS`. Besides, the history: `netchaos:reports:{timestamp}` is a hash of the snapshot's whole
/// reports by switch (kept `historyTTL` seconds after its last write), and `netchaos:snapshots`
/// a sorted set of the newest `historyLength` snapshot timestamps (older snapshots' hashes are
/// unlinked): a switch's history is its reports in those snapshots. Writing a report is then one
/// `SET` and one field of an `HSET` per batch. Reports more than `maxFutureSkew`
/// ahead of the clock are refused, and a `last_update_time` that far ahead (written by another
/// program) is repaired when read (``repairFutureLastUpdate(now:)``).
public final class RedisMetricStore: MetricStore {
    public let client: RedisClient
    public let reportTTL: Int
    public let historyLength: Int
    public let historyTTL: Int
    /// Seconds a report's timestamp may be ahead of the clock (nil: any).
    public let maxFutureSkew: Double?
    let logger: Logger
    /// `last_update_time` as last read or written, and when: reused for `lastUpdateReuse` seconds
    /// (writes of this process update it at once).
    let lastUpdate = Mutex<(value: Int64?, at: ContinuousClock.Instant?, writes: UInt64)>((nil, nil, 0))
    static let lastUpdateReuse: Duration = .milliseconds(200)
    /// The latest snapshot as loaded (SCAN + MGET), shared by every read under the same token.
    private let snapshot = SingleFlightCache<Snapshot>()
    /// A repair of `last_update_time` under way, shared by the reads that found it in the future.
    let repair = SingleFlightCache<Int64?>()
    /// Reports written per batch (a `SET` each, and one `HSET` and `EXPIRE` per timestamp), and batches written ahead of their replies:
    /// bounded memory, each batch well within the command timeout however large the request, and
    /// the next batch encoded while Redis runs the previous ones.
    static let reportsPerPipeline = 4_096
    static let batchesInFlight = 4

    private struct Snapshot: Sendable {
        var reports: [SwitchReport]
        var index: [String: Int]
    }

    static let lastUpdateKey = "last_update_time"
    /// Sets `last_update_time` (KEYS[1]) only forward to ARGV[1]; adds the timestamps ARGV[5...] to
    /// the snapshot index (KEYS[2]), keeps its newest ARGV[2] and unlinks the hashes (ARGV[3] and
    /// the timestamp) of the ones it drops; the index expires ARGV[4] seconds after its last write.
    /// Answers `last_update_time`.
    static let advanceScript = """
        local current = tonumber(redis.call('GET', KEYS[1]) or '-1')
        if tonumber(ARGV[1]) > current then redis.call('SET', KEYS[1], ARGV[1]) end
        for i = 5, #ARGV do redis.call('ZADD', KEYS[2], ARGV[i], ARGV[i]) end
        local dropped = redis.call('ZRANGE', KEYS[2], 0, -(tonumber(ARGV[2]) + 1))
        for _, timestamp in ipairs(dropped) do redis.call('UNLINK', ARGV[3] .. timestamp) end
        if #dropped > 0 then redis.call('ZREMRANGEBYRANK', KEYS[2], 0, #dropped - 1) end
        redis.call('EXPIRE', KEYS[2], ARGV[4])
        return redis.call('GET', KEYS[1])
        """

    public init(
        client: RedisClient, reportTTL: Int = 30, historyLength: Int = 360, historyTTL: Int = 3_600, maxFutureSkew: Double? = 300, logger: Logger
    ) {
        self.client = client
        self.reportTTL = reportTTL
        self.historyLength = historyLength
        self.historyTTL = historyTTL
        self.maxFutureSkew = maxFutureSkew
        self.logger = logger
    }

    /// Where Redis is, for logs (the password masked).
    var address: String { client.configuration.description }

    public var name: String { "redis" }

    static let reportsPrefix = "netchaos:reports:"
    static func reportsKey(_ timestamp: Int64) -> String { reportsPrefix + String(timestamp) }
    static let snapshotsKey = "netchaos:snapshots"

    public func put(_ reports: [SwitchReport]) async throws(MetricStoreError) {
        // The request's snapshots (for the index) and the newest (for `last_update_time`), in one pass.
        var timestamps: Set<Int64> = []
        for report in reports { timestamps.insert(report.timestamp) }
        guard let newest = timestamps.max() else { return }
        let future = ReportRules.futureProblems(reports, now: Date().timeIntervalSince1970, maxFutureSkew: maxFutureSkew)
        guard future.isEmpty else { throw MetricStoreError(.refused, message: future.joined(separator: "; ")) }
        // The reports in batches of a bounded size on one connection, in order (a report given twice
        // keeps its last value), each written as soon as it is encoded while Redis runs the ones
        // before; then `last_update_time`: readers never see a snapshot before its keys.
        let pipeline = try await run { try await client.pipeline() }
        var inFlight: [RedisPendingBatch] = []
        var start = reports.startIndex
        while start < reports.endIndex {
            let end = min(start + Self.reportsPerPipeline, reports.endIndex)
            inFlight.append(pipeline.write(batch(reports[start..<end])))
            start = end
            if inFlight.count >= Self.batchesInFlight { try await check(inFlight.removeFirst()) }
        }
        for pending in inFlight { try await check(pending) }
        let advance = RESPCommand(
            "EVAL",
            [
                Array(Self.advanceScript.utf8), Array("2".utf8), Array(Self.lastUpdateKey.utf8), Array(Self.snapshotsKey.utf8),
                Array(String(newest).utf8), Array(String(historyLength).utf8), Array(Self.reportsPrefix.utf8), Array(String(historyTTL).utf8),
            ] + timestamps.sorted().map { Array(String($0).utf8) }
        )
        let reply = try await run { try await client.send([advance]) }[0]
        if case .error(let message) = reply { throw refusedWrite(message) }
        // What Redis now holds (not what this process last saw: Redis may have restarted empty).
        let current = reply.string.flatMap { Int64($0) }
        lastUpdate.withLock { state in
            state.value = current ?? newest
            state.at = .now
            state.writes &+= 1
        }
    }

    /// Each report's record (`SET` with expiry), and for each run of reports of one timestamp
    /// their whole reports in that snapshot's hash (one `HSET`, then its `EXPIRE`).
    private func batch(_ reports: ArraySlice<SwitchReport>) -> RESPBatch {
        var batch = RESPBatch(capacity: reports.count * 400)
        let expiry = Int64(historyTTL)
        var metrics = JSONWriter(capacity: 128)
        var whole = JSONWriter(capacity: 512)
        let ttl = Int64(reportTTL)
        var start = reports.startIndex
        while start < reports.endIndex {
            let timestamp = reports[start].timestamp
            var end = start + 1
            while end < reports.endIndex && reports[end].timestamp == timestamp { end += 1 }
            for report in reports[start..<end] {
                metrics.removeAll()
                ReportJSON.originalMetrics(report, into: &metrics)
                batch.command("SET", arguments: 4)
                batch.argument(timestamp, UInt8(ascii: "/"), report.switchID)
                metrics.withBytes { batch.argument(bytes: $0) }
                batch.argument("EX")
                batch.argument(ttl)
            }
            let hash = Self.reportsKey(timestamp)
            batch.command("HSET", arguments: 1 + 2 * (end - start))
            batch.argument(hash)
            for report in reports[start..<end] {
                whole.removeAll()
                ReportJSON.report(report, into: &whole)
                batch.argument(report.switchID)
                whole.withBytes { batch.argument(bytes: $0) }
            }
            batch.command("EXPIRE", arguments: 2)
            batch.argument(hash)
            batch.argument(expiry)
            start = end
        }
        return batch
    }

    /// Waits for a batch's replies; any error refuses the write.
    private func check(_ pending: RedisPendingBatch) async throws(MetricStoreError) {
        let result = try await run { try await pending.result() }
        if let message = result.firstError { throw refusedWrite(message) }
    }

    private func refusedWrite(_ message: String) -> MetricStoreError {
        .unavailable(store: "Redis", detail: "Redis at \(address) refused a write: \(message)")
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
            throw MetricStoreError.unavailable(store: "Redis", detail: "Redis at \(address): \(error)")
        }
    }

    private func loadSnapshot() async throws(MetricStoreError) -> Snapshot {
        guard let timestamp = try await lastUpdateTime() else { return Snapshot(reports: [], index: [:]) }
        let keys = try await run { try await client.scan(match: "\(timestamp)/*", count: 1_000) }
        guard !keys.isEmpty else { return Snapshot(reports: [], index: [:]) }
        let values = try await values(of: keys)
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

    /// `MGET` in commands of ``keysPerMGET`` keys, pipelined a few dozen at a time: each reply stays
    /// small (one reply of 600,000 values would be read again from its start at every packet) and
    /// each pipeline well within the command timeout however large the snapshot.
    private func values(of keys: [String]) async throws(MetricStoreError) -> [[UInt8]?] {
        var values: [[UInt8]?] = []
        values.reserveCapacity(keys.count)
        var start = 0
        while start < keys.count {
            var commands: [RESPCommand] = []
            while start < keys.count && commands.count < Self.mgetsPerPipeline {
                let end = min(start + Self.keysPerMGET, keys.count)
                commands.append(RESPCommand("MGET", keys[start..<end].map { Array($0.utf8) }))
                start = end
            }
            let replies = try await run { try await client.send(commands) }
            for (command, reply) in zip(commands, replies) {
                guard let part = reply.array, part.count == command.arguments.count - 1 else {
                    throw MetricStoreError.unavailable(store: "Redis", detail: "Redis at \(address): MGET answered \(reply)")
                }
                values.append(contentsOf: part.map(\.bytes))
            }
        }
        return values
    }

    static let keysPerMGET = 1_000
    static let mgetsPerPipeline = 32

    public func latest(switchID: String, counters: Bool) async throws(MetricStoreError) -> SwitchReport? {
        guard let timestamp = try await lastUpdateTime() else { return nil }
        let key = Array("\(timestamp)/\(switchID)".utf8)
        guard counters else {
            // The Go ingester's three metrics: from the shared snapshot.
            let snapshot = try await currentSnapshot()
            return snapshot.index[switchID].map { snapshot.reports[$0] }
        }
        // The record and, for the interface counters, the whole report of the snapshot: one round trip.
        let replies = try await run {
            try await client.send([
                RESPCommand("GET", key),
                RESPCommand("HGET", Array(Self.reportsKey(timestamp).utf8), Array(switchID.utf8)),
            ])
        }
        guard let value = replies[0].bytes else { return nil }
        if let whole = replies[1].bytes.flatMap(FlatJSON.report), whole.timestamp == timestamp { return whole }
        return try metrics(value, switchID: switchID, timestamp: timestamp)
    }

    private func metrics(_ value: [UInt8], switchID: String, timestamp: Int64) throws(MetricStoreError) -> SwitchReport {
        guard let report = FlatJSON.metrics(value, switchID: switchID, timestamp: timestamp) else {
            throw MetricStoreError(
                .unavailable, message: "metrics store (Redis) holds a record of \(switchID) that cannot be read",
                detail: "Redis at \(address): the value at \(timestamp)/\(switchID) is not a metrics record"
            )
        }
        return report
    }

    public func newest(switchID: String) async throws(MetricStoreError) -> SwitchReport? {
        try await history(switchID: switchID, limit: 1).first
    }

    /// The switch's reports in the kept snapshots, newest first: the snapshot index, then the
    /// switch's field of each snapshot's hash, newest first, in pipelines of at least `limit`
    /// (one round trip when the switch is in every snapshot) until `limit` are found.
    public func history(switchID: String, limit: Int) async throws(MetricStoreError) -> [SwitchReport] {
        let limit = max(limit, 1)
        let index = try await run {
            try await client.execute(RESPCommand("ZREVRANGE", Array(Self.snapshotsKey.utf8), Array("0".utf8), Array("-1".utf8)))
        }
        let timestamps = (index.array ?? []).compactMap { $0.bytes }
        let field = Array(switchID.utf8)
        var reports: [SwitchReport] = []
        var start = 0
        while start < timestamps.count && reports.count < limit {
            let end = min(start + max(limit - reports.count, 16), timestamps.count)
            let commands = timestamps[start..<end].map { RESPCommand("HGET", Array(Self.reportsPrefix.utf8) + $0, field) }
            let replies = try await run { try await client.send(commands) }
            for reply in replies {
                guard reports.count < limit, let report = reply.bytes.flatMap(FlatJSON.report) else { continue }
                reports.append(report)
            }
            start = end
        }
        return reports
    }

    public func isAvailable() async -> Bool { (try? await client.ping()) == true }

    private func lastUpdateTime() async throws(MetricStoreError) -> Int64? {
        let now = ContinuousClock.now
        if let cached = lastUpdate.withLock({ state in state.at.map { now - $0 < Self.lastUpdateReuse } == true ? state.value : nil }) {
            return cached
        }
        let bytes = try await run { try await client.get(Self.lastUpdateKey) }
        var value = bytes.flatMap { Int64(String(decoding: $0, as: UTF8.self)) }
        if let found = value, let latest = ReportRules.latestAllowed(now: Date().timeIntervalSince1970, maxFutureSkew: maxFutureSkew), found > latest {
            // Another program wrote a time in the future: it would hide every switch until then.
            value = try await repaired(found)
        }
        lastUpdate.withLock { state in
            state.value = value
            state.at = now
        }
        return value
    }

    /// Runs a Redis call, turning its failure into the store's (503 for the caller, the detail for
    /// the log).
    func run<T>(_ body: () async throws -> T) async throws(MetricStoreError) -> T {
        do {
            return try await body()
        } catch let error as RedisError {
            throw MetricStoreError.unavailable(store: "Redis", detail: "Redis at \(address): \(error.message)")
        } catch {
            throw MetricStoreError.unavailable(store: "Redis", detail: "Redis at \(address): \(error)")
        }
    }
}
