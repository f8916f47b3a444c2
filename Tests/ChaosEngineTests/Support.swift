import ChaosEngine
import TelemetryModel

/// Simulates `minutes` of `declaration` and returns the simulation and its records in order.
func simulate(_ declaration: NetworkDeclaration = .standard, settings: SimulationSettings, minutes: Double) -> (FlowSimulation, [FlowEvent]) {
    let simulation = FlowSimulation(declaration: declaration, settings: settings)
    return (simulation, simulation.sequentialRecords(untilMs: settings.startMs + Int64(minutes * 60_000)))
}

/// 2026-11-24T14:00:00Z, a Tuesday afternoon.
let tuesdayAfternoon: Int64 = 1_795_528_800_000  // 2026-11-24T14:00:00Z

func settings(seed: UInt64 = 42, startMs: Int64 = tuesdayAfternoon, rate: Double = 200, chaos: ChaosConfiguration = ChaosConfiguration(), shards: ShardSelection = .all) -> SimulationSettings {
    SimulationSettings(seed: seed, startMs: startMs, timeRate: rate, chaos: chaos, shards: shards)
}

func chaos(spike: Double = 0, reset: Double = 0, exfil: Double = 0, malformed: Double = 0, drop: Double = 0, scans: Bool = false) -> ChaosConfiguration {
    ChaosConfiguration(
        enabled: true, latencySpike: Probability(spike)!, connectionReset: Probability(reset)!,
        exfiltration: Probability(exfil)!, malformed: Probability(malformed)!, drop: Probability(drop)!,
        portScan: PortScanConfiguration(enabled: scans)
    )
}

/// The built-in network with flat load curves.
var flatNetwork: NetworkDeclaration {
    var network = NetworkDeclaration.standard
    network.load.shape = .flat
    return network
}
