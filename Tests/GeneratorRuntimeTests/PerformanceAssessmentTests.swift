import GeneratorRuntime
import Testing

/// The final summary's verdict on a run's speed.
@Suite("Performance assessment")
struct PerformanceAssessmentTests {
    @Test("a paced run is judged against what its load curves give over the hours it ran, not the mean")
    func pacedAgainstLoadCurves() {
        // 14:00 on a weekday: the curves give 130k/s for a mean of 100k/s; 129k/s held it.
        let held = PerformanceAssessment(averageRate: 129_000, target: 100_000, expected: 130_000, expectedRecords: 1_300_000)
        #expect(held.grade == .excellent, "\(held)")
        #expect(held.description.contains("99.2%") && held.description.contains("130.0K/s"), "\(held)")
        // 100k/s at that hour is well short of it, though it is the mean asked for.
        let short = PerformanceAssessment(averageRate: 100_000, target: 100_000, expected: 130_000, expectedRecords: 1_300_000)
        #expect(short.grade == .low && short.description.contains("fell short"), "\(short)")
    }

    @Test("without load curves the rate asked is the goal; the grade boundaries are 99%, 95% and 80%")
    func flatTarget() {
        let cases: [(Double, PerformanceAssessment.Grade)] = [(9_950, .excellent), (9_600, .good), (8_500, .moderate), (7_000, .low)]
        for (rate, grade) in cases {
            let assessment = PerformanceAssessment(averageRate: rate, target: 10_000)
            #expect(assessment.grade == grade, "\(rate): \(assessment)")
        }
    }

    @Test("a run of a few records is too short to judge against the curves: it held the rate")
    func shortRun() {
        let assessment = PerformanceAssessment(averageRate: 12.8, target: 5_000, expected: 0, expectedRecords: 0)
        #expect(assessment.grade == .excellent)
        #expect(assessment.description.contains("too short a run"), "\(assessment)")
        // From 100 records due on, the share counts.
        let counted = PerformanceAssessment(averageRate: 50, target: 5_000, expected: 5_000, expectedRecords: 100)
        #expect(counted.grade == .low, "\(counted)")
    }

    @Test("at max rate the verdict compares with the message producer's figures")
    func maxRate() {
        #expect(PerformanceAssessment(averageRate: 3_400_000, target: nil).grade == .excellent)
        #expect(PerformanceAssessment(averageRate: 400_000, target: nil).grade == .good)
        #expect(PerformanceAssessment(averageRate: 40_000, target: nil).description.contains("above the message producer's 30K/s target"))
        #expect(PerformanceAssessment(averageRate: 20_000, target: nil).grade == .low)
    }
}
