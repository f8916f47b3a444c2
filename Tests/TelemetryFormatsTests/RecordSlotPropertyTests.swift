import ChaosEngine
import PropertyBased
import TelemetryFormats
import TelemetryModel
import Testing

/// Over random seeds and chaos doses: every record the generator writes names its own slot
/// (`generator_id`, `seq`) unless it was cut short, and a cut record never names any slot; the
/// validator accepts exactly the records that are not malformed.
@Suite struct RecordSlotPropertyTests {
    @Test func everyWrittenRecordNamesItsSlotUnlessCutShort() async {
        await propertyCheck(count: 12, input: Gen.int(in: 1...1_000_000), Gen.int(in: 1...30)) { seed, malformedPercent in
            let chaos = ChaosConfiguration(
                enabled: true, latencySpike: Probability(0.05)!, connectionReset: Probability(0.05)!, exfiltration: Probability(0.02)!,
                malformed: Probability(Double(malformedPercent) / 100)!, drop: Probability(0.01)!,
                portScan: PortScanConfiguration(enabled: true, intervalSeconds: 1)
            )
            let generatorID = "gen-\(seed)"
            let (vocabulary, events) = SampleFlows.make(count: 2_000, seed: UInt64(seed), generatorID: generatorID, chaos: chaos)
            let count = events.count
            let pointer = UnsafeMutablePointer<FlowEvent>.allocate(capacity: count)
            pointer.initialize(from: events, count: count)
            let ends = UnsafeMutablePointer<Int>.allocate(capacity: count)
            defer {
                pointer.deinitialize(count: count)
                pointer.deallocate()
                ends.deallocate()
            }
            var buffer = WriteBuffer()
            FlowJSONEncoder(vocabulary: vocabulary).encode(pointer, count: count, into: &buffer, recordEnds: ends)
            let validator = FlowRecordValidator()
            var wrong: [String] = []
            buffer.withBytes { bytes in
                var start = 0
                for i in 0..<count {
                    let record = UnsafeRawBufferPointer(rebasing: bytes[start..<(ends[i] - 1)])
                    start = ends[i]
                    let slot = RecordSlot.read(record)
                    let event = events[i]
                    if event.malformation?.kind == .truncated {
                        if slot != nil { wrong.append("a cut record named slot \(slot!.seq): \(String(decoding: record, as: UTF8.self))") }
                    } else if slot != RecordSlot(generatorID: generatorID, seq: event.seq) {
                        wrong.append("seq \(event.seq) read as \(String(describing: slot)): \(String(decoding: record, as: UTF8.self))")
                    }
                    let accepted = (try? validator.validate(record).get()) != nil
                    if accepted != (event.malformation == nil) {
                        wrong.append("validator \(accepted ? "accepted" : "refused") \(String(decoding: record, as: UTF8.self))")
                    }
                }
            }
            #expect(wrong.isEmpty, "\(wrong.prefix(3))")
        }
    }
}
