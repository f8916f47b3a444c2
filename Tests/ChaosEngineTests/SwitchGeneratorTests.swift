import ChaosEngine
import Testing
import TelemetryModel

@Suite("Switch metrics: smooth per switch, labelled chaos, independent of chunk order")
struct SwitchGeneratorTests {
    let quietChaos = SwitchChaos(enabled: false)

    func generate(_ generator: SwitchChunkGenerator, chunks: [UInt64]) -> [SwitchSnapshot] {
        let buffer = UnsafeMutablePointer<SwitchSnapshot>.allocate(capacity: SwitchChunkGenerator.slotsPerChunk)
        buffer.initialize(repeating: SwitchSnapshot(), count: SwitchChunkGenerator.slotsPerChunk)
        defer { buffer.deallocate() }
        var records: [SwitchSnapshot] = []
        for chunk in chunks {
            let count = generator.generate(chunk: chunk, into: buffer)
            records.append(contentsOf: UnsafeBufferPointer(start: buffer, count: count))
        }
        return records
    }

    @Test("record n is switch n % N + 1 of snapshot n / N; timestamps step by the interval; ranges as the original's")
    func layout() {
        let generator = SwitchChunkGenerator(switches: 100, interval: 10, start: 1_795_334_400, seed: 3, chaos: quietChaos)
        let records = generate(generator, chunks: [0, 1])
        #expect(records.count == 2 * SwitchChunkGenerator.slotsPerChunk)
        for (n, record) in records.enumerated() {
            #expect(record.seq == Int64(n))
            #expect(record.switchNumber == Int32(n % 100 + 1))
            #expect(record.timestamp == 1_795_334_400 + Int64(n / 100) * 10)
            #expect((0...1_000_000).contains(record.bandwidthCenti), "bandwidth_mbps 0-10000")
            #expect(record.bandwidthCenti <= Int64(record.linkSpeedMbps) * 100)
            #expect((0...500_000).contains(record.latencyCenti), "latency_ms 0-5000")
            #expect((0...99).contains(record.packetErrors))
            #expect(record.operUp && record.anomalies.isEmpty)
        }
    }

    @Test("the same seed gives the same records whatever the order chunks are made in")
    func orderIndependent() {
        let generator = SwitchChunkGenerator(switches: 37, interval: 10, start: 0, seed: 9, chaos: SwitchChaos())
        let forward = generate(generator, chunks: [0, 1, 2, 3])
        let shuffled = generate(generator, chunks: [2, 0, 3, 1])
        let byChunk = Dictionary(grouping: shuffled, by: { $0.seq / Int64(SwitchChunkGenerator.slotsPerChunk) })
        #expect(forward == (0..<4).flatMap { byChunk[Int64($0)]! })
    }

    @Test("values move smoothly from snapshot to snapshot of a switch, and differ between switches")
    func smooth() {
        let generator = SwitchChunkGenerator(switches: 10, interval: 10, start: 0, seed: 5, chaos: quietChaos)
        let records = generate(generator, chunks: [0])
        var steps: [Double] = []
        for s in 1...10 {
            let series = records.filter { $0.switchNumber == Int32(s) }.map { Double($0.bandwidthCenti) }
            for (a, b) in zip(series, series.dropFirst()) where a > 0 { steps.append(abs(b - a) / a) }
        }
        steps.sort()
        let median = steps[steps.count / 2]
        #expect(median < 0.06, "median change between snapshots \(median)")
        let levels = Set(records.prefix(10).map { $0.bandwidthCenti / 10_000 })
        #expect(levels.count > 5, "switches keep levels of their own")
    }

    @Test("each chaos kind hits about its share, episodes span whole windows, stale repeats the previous snapshot")
    func chaosShares() {
        let chaos = SwitchChaos(
            linkFlap: Probability(0.02)!, congestionSpike: Probability(0.05)!, errorBurst: Probability(0.04)!,
            stale: Probability(0.03)!, missing: Probability(0.01)!
        )
        let generator = SwitchChunkGenerator(switches: 50, interval: 10, start: 0, seed: 11, chaos: chaos)
        var episodic = chaos
        episodic.stale = .zero
        episodic.missing = .zero
        let clean = SwitchChunkGenerator(switches: 50, interval: 10, start: 0, seed: 11, chaos: episodic)
        let chunks = Array(UInt64(0)..<40)
        let records = generate(generator, chunks: chunks)
        let slots = Double(chunks.count * SwitchChunkGenerator.slotsPerChunk)
        #expect(abs(Double(records.count) / slots - 0.99) < 0.003, "missing: \(1 - Double(records.count) / slots)")
        func share(_ label: AnomalySet) -> Double { Double(records.filter { $0.anomalies.contains(label) }.count) / Double(records.count) }
        #expect(abs(share(.linkFlap) - 0.02) < 0.005)
        #expect(abs(share(.congestionSpike) - 0.05) < 0.015)
        #expect(abs(share(.errorBurst) - 0.04) < 0.01)
        #expect(abs(share(.stale) - 0.03) < 0.005)
        for r in records where r.anomalies.contains(.linkFlap) {
            #expect(!r.operUp && r.bandwidthCenti == 0 && r.utilizationCenti == 0)
        }
        for r in records where r.anomalies.contains(.congestionSpike) && !r.anomalies.contains(.linkFlap) {
            #expect(r.utilizationCenti >= 9_500 && r.drops >= 20_000)
        }
        for r in records where r.anomalies.contains(.errorBurst) && !r.anomalies.contains(.linkFlap) { #expect(r.crcErrors >= 100 && r.packetErrors >= 100) }
        // A stale record is the previous snapshot of its switch, as the clean run made it.
        let reference = Dictionary(uniqueKeysWithValues: generate(clean, chunks: chunks).map { ($0.seq, $0) })
        for r in records where r.anomalies.contains(.stale) {
            var previous = reference[r.seq - 50]!
            previous.seq = r.seq
            previous.anomalies.insert(.stale)
            #expect(r == previous)
        }
        // Congestion lasts six snapshots of a switch.
        let congested = records.filter { $0.anomalies.contains(.congestionSpike) && !$0.anomalies.contains(.stale) }.map(\.seq)
        for seq in congested {
            let tick = seq / 50
            let windowStart = tick - tick % 6
            for t in windowStart..<(windowStart + 6) {
                #expect(reference[t * 50 + seq % 50]?.anomalies.contains(.congestionSpike) != false)
            }
        }
    }
}
