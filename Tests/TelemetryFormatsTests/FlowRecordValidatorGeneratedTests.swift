import ChaosEngine
import TelemetryFormats
import TelemetryModel
import Testing

/// Generates events with chaos and many malformed records, encodes them as our JSON lines, and
/// checks that the validator accepts exactly the records that are not malformed, and rejects each
/// malformed one for the reason its kind stands for.
@Suite struct FlowRecordValidatorGeneratedTests {
    static let generatorID = "gen-\"quoted\""
    static let chaos = ChaosConfiguration(
        enabled: true, latencySpike: Probability(0.1)!, connectionReset: Probability(0.1)!,
        exfiltration: Probability(0.05)!, malformed: Probability(0.1)!, drop: Probability(0.01)!,
        portScan: PortScanConfiguration(enabled: true, intervalSeconds: 1)
    )

    /// The reason each kind of malformed record must be rejected for.
    static func expectedReason(_ kind: MalformedKind) -> FlowRejectReason {
        switch kind {
        case .truncated: .invalidJSON
        case .wrongType: .wrongType
        case .missingField: .missingField
        case .outOfRange: .outOfRange
        case .badIP: .badIP
        }
    }

    /// The field the encoder broke, as the validator names it (`nil` for truncation).
    static func expectedField(_ malformation: Malformation) -> String? {
        let plan = MalformationPlan(malformation)
        return (plan.wrongType ?? plan.missing ?? plan.outOfRange ?? plan.badIP)?.key
    }

    struct Tally {
        var valid = 0
        var rejected: [MalformedKind: Int] = [:]
        var labels: Set<AnomalyLabel> = []
    }

    @Test func generatedRecordsAreValidUnlessMalformed() throws {
        let validator = FlowRecordValidator()
        let (vocabulary, all) = SampleFlows.make(count: 200_000, seed: 11, generatorID: Self.generatorID, chaos: Self.chaos)
        let slots = 4_096
        let events = UnsafeMutablePointer<FlowEvent>.allocate(capacity: slots)
        events.initialize(repeating: FlowEvent(), count: slots)
        let ends = UnsafeMutablePointer<Int>.allocate(capacity: slots)
        defer {
            events.deallocate()
            ends.deallocate()
        }
        let encoder = FlowJSONEncoder(vocabulary: vocabulary)
        var buffer = WriteBuffer()
        var tally = Tally()
        var total = 0
        var failures = 0
        while total < 200_000 {
            let count = min(slots, all.count - total)
            for i in 0..<count { events[i] = all[total + i] }
            buffer.removeAll()
            encoder.encode(events, count: count, into: &buffer, recordEnds: ends)
            buffer.withBytes { bytes in
                var start = 0
                for i in 0..<count {
                    // A Kafka message is the record without its newline; a JSON-lines file keeps it.
                    let line = UnsafeRawBufferPointer(rebasing: bytes[start..<ends[i]])
                    let message = UnsafeRawBufferPointer(rebasing: bytes[start..<(ends[i] - 1)])
                    start = ends[i]
                    let result = validator.validate(message)
                    // (Checked on every malformed record and a sample of the others, to keep the test quick.)
                    let sampled = events[i].malformation != nil || i % 16 == 0
                    if sampled && !Self.sameOutcome(result, validator.validate(line)) {
                        failures += 1
                        Issue.record("with and without the newline differ: \(Self.text(line))")
                    }
                    if !check(events[i], result, message, sampled: sampled, &tally) {
                        failures += 1
                    }
                    if failures > 20 { return }
                }
            }
            total += count
            if failures > 20 { break }
        }
        #expect(failures == 0)
        #expect(total >= 200_000)
        // Every kind of malformed record occurred, often.
        for kind in MalformedKind.allCases {
            #expect(tally.rejected[kind, default: 0] > 2_000, "\(kind): \(tally.rejected[kind, default: 0])")
        }
        let malformed = tally.rejected.values.reduce(0, +)
        #expect(tally.valid + malformed == total)
        #expect(tally.valid > 150_000)
        // The chaos knobs' classes (the other families come from scenarios).
        #expect(tally.labels == [.normal, .latencySpike, .connectionReset, .exfiltration, .portScan])
    }

    /// Checks one record's outcome against its event; records an issue and returns false if wrong.
    private func check(
        _ event: FlowEvent, _ result: Result<ValidFlowRecord, FlowRecordError>, _ record: UnsafeRawBufferPointer,
        sampled: Bool, _ tally: inout Tally
    ) -> Bool {
        switch (event.malformation, result) {
        case (nil, .success(let valid)):
            tally.valid += 1
            tally.labels.insert(valid.label ?? .malformed)
            var right = valid.timestamp == event.timestamp && valid.seq == event.seq && valid.label == event.label
                && valid.anomalies == event.anomalies && valid.malformedKind == nil && valid.generatorIDRange != nil
            if sampled {
                right = right && valid.eventID(in: record) == event.eventIDString && valid.generatorID(in: record) == Self.generatorID
            }
            if !right { Issue.record("wrong values \(valid) from \(Self.text(record))") }
            return right
        case (nil, .failure(let error)):
            Issue.record("a good record was rejected: \(error) in \(Self.text(record))")
            return false
        case (let malformation?, .success):
            Issue.record("a \(malformation.kind.name) record passed: \(Self.text(record))")
            return false
        case (let malformation?, .failure(let error)):
            tally.rejected[malformation.kind, default: 0] += 1
            let reasonRight = error.reason == Self.expectedReason(malformation.kind)
            let fieldRight = Self.expectedField(malformation).map { $0 == error.field } ?? true
            if !(reasonRight && fieldRight) {
                Issue.record("a \(malformation.kind.name) record was rejected as \(error): \(Self.text(record))")
            }
            return reasonRight && fieldRight
        }
    }

    private static func sameOutcome(_ a: Result<ValidFlowRecord, FlowRecordError>, _ b: Result<ValidFlowRecord, FlowRecordError>) -> Bool {
        switch (a, b) {
        case (.success(let x), .success(let y)): x == y
        case (.failure(let x), .failure(let y)): x.reason == y.reason && x.field == y.field
        default: false
        }
    }

    private static func text(_ bytes: UnsafeRawBufferPointer) -> String { String(decoding: bytes, as: UTF8.self) }
}
