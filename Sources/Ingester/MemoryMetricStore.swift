import Foundation
import Synchronization

/// The embedded default: metrics in this process's memory, with the Redis store's semantics
/// (snapshots by timestamp, reports expiring after `reportTTL`, a bounded history per switch).
public final class MemoryMetricStore: MetricStore {
    public let reportTTL: Double
    public let historyLength: Int
    /// Switches remembered at most; beyond, the one written longest ago is forgotten.
    public let maxSwitches: Int
    private let clock: @Sendable () -> Double
    private let state = Mutex(State())

    private struct State: Sendable {
        /// Reports by snapshot timestamp, and when each snapshot was last written.
        var snapshots: [Int64: [String: SwitchReport]] = [:]
        var writtenAt: [Int64: Double] = [:]
        var latestTimestamp: Int64?
        /// Newest last.
        var history: [String: [SwitchReport]] = [:]
        var lastWrite: [String: Double] = [:]
        /// Counts changes to what the latest snapshot holds.
        var version: UInt64 = 0
    }

    public init(reportTTL: Double = 30, historyLength: Int = 360, maxSwitches: Int = 100_000, clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.reportTTL = reportTTL
        self.historyLength = historyLength
        self.maxSwitches = maxSwitches
        self.clock = clock
    }

    public var name: String { "memory" }

    public func put(_ reports: [SwitchReport]) async throws(MetricStoreError) {
        let now = clock()
        state.withLock { state in
            for report in reports {
                state.snapshots[report.timestamp, default: [:]][report.switchID] = report
                state.writtenAt[report.timestamp] = now
                Self.record(report, in: &state.history[report.switchID, default: []], limit: historyLength)
                state.lastWrite[report.switchID] = now
            }
            if let newest = reports.map(\.timestamp).max(), newest > (state.latestTimestamp ?? .min) {
                state.latestTimestamp = newest
            }
            state.version &+= 1
            Self.expire(&state, now: now, ttl: reportTTL)
            while state.history.count > maxSwitches, let oldest = state.lastWrite.min(by: { $0.value < $1.value })?.key {
                state.history[oldest] = nil
                state.lastWrite[oldest] = nil
            }
        }
    }

    /// Adds a report to a switch's history (mutated in place), in timestamp order even when a stale
    /// report comes late; a report for a timestamp already there replaces it.
    private static func record(_ report: SwitchReport, in list: inout [SwitchReport], limit: Int) {
        if let last = list.last, last.timestamp >= report.timestamp {
            let at = list.lastIndex { $0.timestamp <= report.timestamp }.map { $0 + 1 } ?? list.startIndex
            if at > list.startIndex, list[at - 1].timestamp == report.timestamp {
                list[at - 1] = report
            } else {
                list.insert(report, at: at)
            }
        } else {
            list.append(report)
        }
        if list.count > limit { list.removeFirst(list.count - limit) }
    }

    private static func expire(_ state: inout State, now: Double, ttl: Double) {
        for (timestamp, written) in state.writtenAt where written + ttl < now {
            state.writtenAt[timestamp] = nil
            state.snapshots[timestamp] = nil
            state.version &+= 1
        }
    }

    public func snapshotToken() async throws(MetricStoreError) -> String {
        let now = clock()
        return state.withLock { state in
            Self.expire(&state, now: now, ttl: reportTTL)
            return String(state.version)
        }
    }

    public func latestSnapshot() async throws(MetricStoreError) -> [SwitchReport] {
        let now = clock()
        return state.withLock { state in
            Self.expire(&state, now: now, ttl: reportTTL)
            guard let latest = state.latestTimestamp, let reports = state.snapshots[latest] else { return [] }
            return reports.values.sorted(by: SwitchReport.naturalOrder)
        }
    }

    public func latest(switchID: String, counters: Bool) async throws(MetricStoreError) -> SwitchReport? {
        let now = clock()
        return state.withLock { state in
            Self.expire(&state, now: now, ttl: reportTTL)
            guard let latest = state.latestTimestamp else { return nil }
            return state.snapshots[latest]?[switchID]
        }
    }

    public func newest(switchID: String) async throws(MetricStoreError) -> SwitchReport? {
        state.withLock { $0.history[switchID]?.last }
    }

    public func history(switchID: String, limit: Int) async throws(MetricStoreError) -> [SwitchReport] {
        state.withLock { Array(($0.history[switchID] ?? []).suffix(limit).reversed()) }
    }

    public func isAvailable() async -> Bool { true }
}
