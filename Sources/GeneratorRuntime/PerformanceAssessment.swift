import Foundation
import Observability

/// The final report's verdict on a run's speed, as the message producer gave one
/// (EXCELLENT/GOOD/MODERATE/LOW). A paced run is judged by how closely it held the rate asked
/// for; a run at max rate by its records per second against the message producer's figures:
/// 30 K/s (its own target) and 300 K/s (its best published Parquet rate).
public struct PerformanceAssessment: Sendable, Hashable, CustomStringConvertible {
    public enum Grade: String, Sendable { case excellent = "EXCELLENT", good = "GOOD", moderate = "MODERATE", low = "LOW" }

    public let grade: Grade
    public let reason: String

    /// - Parameters:
    ///   - target: the rate asked for (nil: as fast as possible).
    ///   - expected: for flows, what the rate asked gives over the hours the run covered (the load
    ///     curves make it higher at the peak, lower at night): the run is judged against this.
    ///   - expectedRecords: how many records `expected` stands for; below 100 a share says little
    ///     (a run of a few records), and a run that got that far is taken to have held the rate.
    public init(averageRate: Double, target: Double?, expected: Double? = nil, expectedRecords: Double? = nil) {
        let rate = HumanFormat.count(averageRate)
        if target != nil, expected != nil, let expectedRecords, expectedRecords < 100 {
            grade = .excellent
            reason = "held the rate asked: too short a run to compare with its load curves (under 100 records due)"
        } else if let target {
            let goal = expected ?? target
            let share = goal > 0 ? averageRate / goal : 0
            let percent = String(format: "%.1f%%", share * 100)
            grade = share >= 0.99 ? .excellent : share >= 0.95 ? .good : share >= 0.8 ? .moderate : .low
            let verdict = switch grade {
            case .excellent: "held"
            case .good: "nearly held"
            case .moderate, .low: "fell short of"
            }
            if let expected {
                reason = "\(verdict) the rate asked: \(rate)/s, \(percent) of the \(HumanFormat.count(expected))/s its load curves give over the hours run "
                    + "(\(HumanFormat.count(target))/s on average)"
            } else {
                reason = "\(verdict) the rate asked: \(rate)/s, \(percent) of \(HumanFormat.count(target))/s"
            }
        } else {
            grade = averageRate >= 1_000_000 ? .excellent : averageRate >= 300_000 ? .good : averageRate >= 30_000 ? .moderate : .low
            reason = switch grade {
            case .excellent: "\(rate)/s, above 1M/s"
            case .good: "\(rate)/s, above the message producer's best published 300K/s"
            case .moderate: "\(rate)/s, above the message producer's 30K/s target"
            case .low: "\(rate)/s, below the message producer's 30K/s target"
            }
        }
    }

    public var description: String { "\(grade.rawValue): \(reason)" }
}
