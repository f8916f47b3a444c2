import Foundation
import Synchronization

/// The embedded default: metrics in this process's memory, with the Redis store's semantics
/// (snapshots by timestamp, reports expiring after `reportTTL`, a bounded history per switch). A
/// put costs what its reports cost, whatever their number: beyond `maxSwitches` the switches
/// written longest ago are forgotten in one pass (``WriteOrder``), and reports with a timestamp
/// more than `maxFutureSkew` ahead of the clock are refused, all of them, before anything is kept.
public final class MemoryMetricStore: MetricStore {
    public let reportTTL: Double
    public let historyLength: Int
    /// Switches remembered at most; beyond, the ones written longest ago are forgotten.
    public let maxSwitches: Int
    /// Seconds a report's timestamp may be ahead of the clock (nil: any).
    public let maxFutureSkew: Double?
    private let clock: @Sendable () -> Double
    private let state = Mutex(State())

    private struct State: Sendable {
        /// Reports by snapshot timestamp, and when each snapshot was last written.
        var snapshots: [Int64: [String: SwitchReport]] = [:]
        var writtenAt: [Int64: Double] = [:]
        var latestTimestamp: Int64?
        /// Newest last.
        var history: [String: [SwitchReport]] = [:]
        /// The switches of `history`, by when they were last written.
        var order = WriteOrder<String>()
        /// Counts changes to what the latest snapshot holds.
        var version: UInt64 = 0
    }

    public init(
        reportTTL: Double = 30, historyLength: Int = 360, maxSwitches: Int = 100_000, maxFutureSkew: Double? = 300,
        clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
    ) {
        self.reportTTL = reportTTL
        self.historyLength = historyLength
        self.maxSwitches = maxSwitches
        self.maxFutureSkew = maxFutureSkew
        self.clock = clock
    }

    public var name: String { "memory" }

    public func put(_ reports: [SwitchReport]) async throws(MetricStoreError) {
        let now = clock()
        let future = ReportRules.futureProblems(reports, now: now, maxFutureSkew: maxFutureSkew)
        guard future.isEmpty else { throw MetricStoreError(.refused, message: future.joined(separator: "; ")) }
        state.withLock { state in
            for report in reports {
                state.snapshots[report.timestamp, default: [:]][report.switchID] = report
                state.writtenAt[report.timestamp] = now
                Self.record(report, in: &state.history[report.switchID, default: []], limit: historyLength)
                state.order.written(report.switchID)
            }
            if let newest = reports.map(\.timestamp).max(), newest > (state.latestTimestamp ?? .min) {
                state.latestTimestamp = newest
            }
            state.version &+= 1
            Self.expire(&state, now: now, ttl: reportTTL)
            // The oldest first, each at once: one pass however many go.
            while state.history.count > maxSwitches, let oldest = state.order.takeOldest() {
                state.history[oldest] = nil
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

    /// Switches whose history is kept (at most `maxSwitches`).
    var rememberedSwitches: Int { state.withLock { $0.history.count } }
}
