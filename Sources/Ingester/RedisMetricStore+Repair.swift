import Foundation
import Logging
import RedisClient

extension RedisMetricStore {
    /// What a repair of `last_update_time` did.
    public struct LastUpdateRepair: Sendable, Hashable {
        /// The time in the future it held.
        public var old: Int64
        /// The newest snapshot within the window, which it holds now; nil when there is none (the
        /// key was deleted).
        public var new: Int64?
    }

    /// Sets `last_update_time` to ARGV[2] (deletes it when empty) only if it still holds ARGV[1].
    static let repairScript = """
        if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
        if ARGV[2] == '' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[2]) end
        return 1
        """

    /// Repairs a `last_update_time` more than `maxFutureSkew` ahead of `now` (one record with a
    /// timestamp in the future, written by a program that did not check, would otherwise hide
    /// every switch until then, across restarts): it becomes the newest snapshot timestamp within
    /// the window among the `{timestamp}/{switch_id}` keys (found by `SCAN`), or is deleted when
    /// there is none. Logs the old and the new value. Nil when nothing needed repair, or another
    /// process changed the key first.
    public func repairFutureLastUpdate(now: Double = Date().timeIntervalSince1970) async throws(MetricStoreError) -> LastUpdateRepair? {
        guard let latest = ReportRules.latestAllowed(now: now, maxFutureSkew: maxFutureSkew) else { return nil }
        let bytes = try await run { try await client.get(Self.lastUpdateKey) }
        guard let old = bytes.flatMap({ Int64(String(decoding: $0, as: UTF8.self)) }), old > latest else { return nil }
        let new = try await newestSnapshot(atMost: latest)
        let command = RESPCommand(
            "EVAL", Array(Self.repairScript.utf8), Array("1".utf8), Array(Self.lastUpdateKey.utf8), Array(String(old).utf8),
            Array((new.map { String($0) } ?? "").utf8)
        )
        let reply = try await run { try await client.execute(command) }
        guard reply.integer == 1 else { return nil }
        lastUpdate.withLock { state in
            state.value = new
            state.at = .now
            state.writes &+= 1
        }
        logger.warning("repaired last_update_time: it was in the future", metadata: [
            "ingest.last_update_time.old": "\(old)", "ingest.last_update_time.new": "\(new.map { String($0) } ?? "deleted")",
            "ingest.max_future_skew": "\(maxFutureSkew.map(DurationText.setting) ?? "none")", "redis.server": "\(address)",
        ])
        return LastUpdateRepair(old: old, new: new)
    }

    /// The newest timestamp at most `latest` among the `{timestamp}/{switch_id}` keys.
    private func newestSnapshot(atMost latest: Int64) async throws(MetricStoreError) -> Int64? {
        let keys = try await run { try await client.scan(match: "[0-9]*/*", count: 1_000) }
        var newest: Int64?
        for key in keys {
            guard let slash = key.firstIndex(of: "/"), let timestamp = Int64(key[..<slash]), timestamp <= latest else { continue }
            newest = max(newest ?? timestamp, timestamp)
        }
        return newest
    }

    /// What `last_update_time` should be for reads that found `found` in the future: repaired once
    /// however many reads found it at the same time.
    func repaired(_ found: Int64) async throws(MetricStoreError) -> Int64? {
        let second = Int64(Date().timeIntervalSince1970)
        do {
            return try await repair.value(token: "\(found):\(second)") { [self] in
                if let done = try await repairFutureLastUpdate() { return done.new }
                // Another process changed it first: what Redis holds now.
                let bytes = try await run { try await client.get(Self.lastUpdateKey) }
                return bytes.flatMap { Int64(String(decoding: $0, as: UTF8.self)) }
            }
        } catch let error as MetricStoreError {
            throw error
        } catch {
            throw MetricStoreError.unavailable(store: "Redis", detail: "Redis at \(address): \(error)")
        }
    }
}
