import ChaosEngine
import TelemetryModel

/// Records of the simulated network for encoder tests: a few minutes of the built-in network
/// with plenty of every anomaly.
enum SampleFlows {
    static let chaos = ChaosConfiguration(
        enabled: true, latencySpike: Probability(0.1)!, connectionReset: Probability(0.1)!, exfiltration: Probability(0.05)!,
        malformed: Probability(0.05)!, drop: Probability(0.01)!, portScan: PortScanConfiguration(enabled: true, intervalSeconds: 1)
    )

    /// `count` records (dropped ones left out) and the vocabulary to encode them with.
    static func make(count: Int = 4_096, seed: UInt64 = 5, generatorID: String = "gen-test", chaos: ChaosConfiguration = SampleFlows.chaos) -> (vocabulary: FlowVocabulary, events: [FlowEvent]) {
        let settings = SimulationSettings(seed: seed, startMs: 1_795_960_800_000, timeRate: 2_000, chaos: chaos)
        let simulation = FlowSimulation(declaration: .standard, settings: settings)
        var minutes = 1.0
        while true {
            let records = simulation.sequentialRecords(untilMs: settings.startMs + Int64(minutes * 60_000)).filter { !$0.dropped }
            if records.count >= count { return (simulation.topology.vocabulary(generatorID: generatorID), Array(records.prefix(count))) }
            minutes *= 2
        }
    }
}
