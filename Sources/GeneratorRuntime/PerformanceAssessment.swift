import Foundation
import Observability

/// The final report's verdict on a run's speed, as seed 003's producer gave one
/// (EXCELLENT/GOOD/MODERATE/LOW). A paced run is judged by how closely it held the rate asked
/// for; a run at max rate by its records per second against seed 003's figures: 30 K/s (the
/// original's own target) and 300 K/s (its best published Parquet rate).
public struct PerformanceAssessment: Sendable, Hashable, CustomStringConvertible {
    public enum Grade: String, Sendable { case excellent = "EXCELLENT", good = "GOOD", moderate = "MODERATE", low = "LOW" }

    public let grade: Grade
    public let reason: String

    public init(averageRate: Double, target: Double?) {
        let rate = HumanFormat.count(averageRate)
        if let target {
            let share = target > 0 ? averageRate / target : 0
            let percent = String(format: "%.1f%%", share * 100)
            grade = share >= 0.99 ? .excellent : share >= 0.95 ? .good : share >= 0.8 ? .moderate : .low
            let verdict = switch grade {
            case .excellent: "held"
            case .good: "nearly held"
            case .moderate, .low: "fell short of"
            }
            reason = "\(verdict) the rate asked: \(rate)/s, \(percent) of \(HumanFormat.count(target))/s"
        } else {
            grade = averageRate >= 1_000_000 ? .excellent : averageRate >= 300_000 ? .good : averageRate >= 30_000 ? .moderate : .low
            reason = switch grade {
            case .excellent: "\(rate)/s, above 1M/s"
            case .good: "\(rate)/s, above seed 003's best published 300K/s"
            case .moderate: "\(rate)/s, above seed 003's 30K/s target"
            case .low: "\(rate)/s, below seed 003's 30K/s target"
            }
        }
    }

    public var description: String { "\(grade.rawValue): \(reason)" }
}
