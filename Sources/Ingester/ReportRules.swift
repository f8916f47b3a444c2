import Foundation

/// What the ingester accepts beyond the record format: how far ahead of the server's clock a
/// timestamp may be (`ingest.max_future_skew`), and whether duplicate keys and unknown fields are
/// ignored and counted instead of refused (`ingest.lenient`).
public struct ReportRules: Sendable {
    /// Seconds a record's timestamp may be ahead of the clock; nil: not checked.
    public var maxFutureSkew: Double?
    /// Duplicate keys (the last value wins) and unknown fields (skipped) are accepted and counted.
    public var lenient: Bool
    /// Unix seconds now.
    public var clock: @Sendable () -> Double

    public init(maxFutureSkew: Double? = 300, lenient: Bool = false, clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.maxFutureSkew = maxFutureSkew
        self.lenient = lenient
        self.clock = clock
    }

    /// Formats only: any timestamp, strict keys (the stores check the future themselves).
    public static let formatOnly = ReportRules(maxFutureSkew: nil)

    /// The newest timestamp accepted at `now`, nil when any is.
    static func latestAllowed(now: Double, maxFutureSkew: Double?) -> Int64? {
        guard let maxFutureSkew else { return nil }
        let limit = (now + maxFutureSkew).rounded(.down)
        return limit < 9e18 ? Int64(limit) : nil
    }

    /// `timestamp 99999999999 is 3111 years ahead of the server's clock (at most 5m ahead)`, or nil
    /// when `timestamp` is accepted.
    static func futureProblem(_ timestamp: Int64, now: Double, maxFutureSkew: Double?) -> String? {
        guard let maxFutureSkew, let limit = latestAllowed(now: now, maxFutureSkew: maxFutureSkew), timestamp > limit else { return nil }
        return "timestamp \(timestamp) is \(DurationText.span(Double(timestamp) - now)) ahead of the server's clock (at most \(DurationText.setting(maxFutureSkew)) ahead)"
    }

    /// The future problems of `reports` (`record 3: timestamp ...`), at most `limit` of them: what a
    /// store refuses even when its caller did not check.
    static func futureProblems(_ reports: [SwitchReport], now: Double, maxFutureSkew: Double?, limit: Int = 10) -> [String] {
        guard let maxFutureSkew, let latest = latestAllowed(now: now, maxFutureSkew: maxFutureSkew) else { return [] }
        var problems: [String] = []
        for (index, report) in reports.enumerated() where report.timestamp > latest {
            if let problem = futureProblem(report.timestamp, now: now, maxFutureSkew: maxFutureSkew) { problems.append("record \(index): \(problem)") }
            if problems.count >= limit { break }
        }
        return problems
    }
}
