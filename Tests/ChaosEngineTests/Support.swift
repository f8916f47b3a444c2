import ChaosEngine
import TelemetryModel

/// Generates `chunks` chunks and returns every event.
func generateEvents(chaos: ChaosConfiguration, chunks: Int, seed: UInt64 = 42, rate: Double = 5_000, firstChunk: UInt64 = 0) -> [FlowEvent] {
    let factory = FlowEventFactory(model: .standard, chaos: chaos, generatorID: "test")
    let generator = FlowChunkGenerator(factory: factory, clock: EventClock(start: 1_780_000_000, eventsPerSecond: rate), seed: seed)
    let buffer = UnsafeMutablePointer<FlowEvent>.allocate(capacity: FlowChunkGenerator.slotsPerChunk)
    buffer.initialize(repeating: FlowEvent(), count: FlowChunkGenerator.slotsPerChunk)
    defer { buffer.deallocate() }
    var events: [FlowEvent] = []
    events.reserveCapacity(chunks * FlowChunkGenerator.slotsPerChunk)
    for chunk in firstChunk..<(firstChunk + UInt64(chunks)) {
        let count = generator.generate(chunk: chunk, into: buffer)
        events.append(contentsOf: UnsafeBufferPointer(start: buffer, count: count))
    }
    return events
}

func chaos(spike: Double = 0, reset: Double = 0, exfil: Double = 0, malformed: Double = 0, drop: Double = 0, scans: Bool = false) -> ChaosConfiguration {
    ChaosConfiguration(
        enabled: true, latencySpike: Probability(spike)!, connectionReset: Probability(reset)!,
        exfiltration: Probability(exfil)!, malformed: Probability(malformed)!, drop: Probability(drop)!,
        portScan: PortScanConfiguration(enabled: scans)
    )
}
