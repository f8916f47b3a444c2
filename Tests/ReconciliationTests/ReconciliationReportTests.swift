import Reconciliation
import TelemetryModel
import Testing

@Suite struct ReconciliationReportTests {
    private func record(_ id: String, _ seq: Int64, extra: String = "") -> [UInt8] {
        Array(#"{"timestamp":1,"label":"normal"\#(extra),"generator_id":"\#(id)","seq":\#(seq)}"#.utf8)
    }

    private func add(_ ledger: inout SlotLedger, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { ledger.addRecord($0) }
    }

    @Test func everySlotPresentOnceIsOK() {
        var ledger = SlotLedger()
        for seq in (0..<1_000).reversed() { add(&ledger, record("gen-a", Int64(seq))) }
        let report = ReconciliationReport(ledger: ledger, manifests: [])
        #expect(report.ok)
        #expect(report.generators.count == 1)
        #expect(report.generators[0].present == 1_000 && report.generators[0].expectedSlots == 1_000 && report.generators[0].missing == 0)
    }

    @Test func aRepeatedRecordIsADuplicate() {
        var ledger = SlotLedger()
        for seq in 0..<10 { add(&ledger, record("gen-a", Int64(seq))) }
        add(&ledger, record("gen-a", 7))
        let report = ReconciliationReport(ledger: ledger, manifests: [])
        #expect(!report.ok)
        #expect(report.generators[0].duplicated == 1 && report.generators[0].duplicateSample == [7])
        #expect(report.problems.contains { $0.contains("1 duplicates") })
    }

    @Test func aGapIsALossUnlessTheManifestPlannedIt() {
        var ledger = SlotLedger()
        for seq in 0..<100 where seq != 40 && seq != 41 && seq != 77 { add(&ledger, record("gen-a", Int64(seq))) }
        let withoutManifest = ReconciliationReport(ledger: ledger, manifests: [])
        #expect(!withoutManifest.ok)
        #expect(withoutManifest.generators[0].missingRanges == ["40-41", "77"])
        #expect(withoutManifest.problems.contains { $0.contains("--manifest") })

        let planned = RunManifestDocument(generatorID: "gen-a", slots: 100, dropped: [40...41, 77...77])
        let accounted = ReconciliationReport(ledger: ledger, manifests: [planned])
        #expect(accounted.ok, "\(accounted.problems)")
        #expect(accounted.generators[0].plannedDrops == 3 && accounted.generators[0].missing == 0)

        let partly = RunManifestDocument(generatorID: "gen-a", slots: 100, dropped: [40...41])
        let lost = ReconciliationReport(ledger: ledger, manifests: [partly])
        #expect(!lost.ok)
        #expect(lost.generators[0].lost == 1 && lost.generators[0].missingRanges == ["77"])
    }

    @Test func inFlightMissingSlotsArePendingAndNewerSlotsWait() {
        // The manifest was taken at slot 100; the store read later holds 0-89 and 100-119 (newer).
        var ledger = SlotLedger()
        for seq in 0..<120 where !(90..<100).contains(seq) && seq != 5 && seq != 6 { add(&ledger, record("gen-a", Int64(seq))) }
        add(&ledger, Array(#"{"timestamp":1,"gener"#.utf8))
        let manifest = RunManifestDocument(generatorID: "gen-a", slots: 100, dropped: [5...6], malformed: ["truncated": [95]])
        let live = ReconciliationReport(ledger: ledger, manifests: [manifest], inFlight: true)
        #expect(live.ok, "\(live.problems)")
        #expect(live.inFlight && live.lostByCount == 0)
        // 0-89 less the two planned drops; 100-119 are newer than the manifest and wait for the next pass.
        #expect(live.generators[0].present == 88 && live.generators[0].missing == 10 && live.generators[0].lost == 0)
        // Ten slots missing, one of them maybe the record cut short: nine pending.
        #expect(live.pending == 9)

        let final = ReconciliationReport(ledger: ledger, manifests: [manifest])
        #expect(!final.ok && final.pending == 0 && final.generators[0].lost == 9 && final.generators[0].beyondManifest == 20)
    }

    @Test func theManifestsEndCountsTrailingLosses() {
        var ledger = SlotLedger()
        for seq in 0..<90 { add(&ledger, record("gen-a", Int64(seq))) }
        let report = ReconciliationReport(ledger: ledger, manifests: [RunManifestDocument(generatorID: "gen-a", slots: 100)])
        #expect(!report.ok)
        #expect(report.generators[0].missingRanges == ["90-99"] && report.generators[0].lost == 10)
    }

    @Test func slotsBeyondTheManifestAreCountedAcrossBlocks() {
        var ledger = SlotLedger()
        for seq in [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 63, 64, 65_535, 65_536, 200_000] as [Int64] { add(&ledger, record("gen-a", seq)) }
        let report = ReconciliationReport(ledger: ledger, manifests: [RunManifestDocument(generatorID: "gen-a", slots: 64)])
        #expect(!report.ok)
        #expect(report.generators[0].beyondManifest == 4)
        #expect(report.problems.contains { $0.contains("4 slots beyond the manifest's 64") })
    }

    @Test func aDeadLetterWithItsSlotAccountsForIt() {
        var ledger = SlotLedger()
        for seq in 0..<10 where seq != 3 { add(&ledger, record("gen-a", Int64(seq))) }
        ledger.addDeadLetter(origin: "t/0/3", reason: "wrong_type", record: record("gen-a", 3, extra: #","src_port":"443""#))
        let report = ReconciliationReport(ledger: ledger, manifests: [])
        #expect(report.ok, "\(report.problems)")
        #expect(report.generators[0].deadLettered == 1 && report.generators[0].deadLettersByReason == ["wrong_type": 1])
    }

    @Test func aCutRecordNeverNamesAnotherSlot() {
        // The cut falls inside "seq":52245: the rest must not read as seq 52.
        let whole = record("gen-a", 52_245)
        let cut = Array(whole[..<(whole.count - 4)])
        #expect(cut.withUnsafeBytes { RecordSlot.read($0) } == nil)
        #expect(whole.withUnsafeBytes { RecordSlot.read($0) } == RecordSlot(generatorID: "gen-a", seq: 52_245))

        var ledger = SlotLedger()
        for seq in 0..<52_245 { add(&ledger, record("gen-a", Int64(seq))) }
        ledger.addDeadLetter(origin: "t/0/52245", reason: "invalid_json", record: cut)
        let manifest = RunManifestDocument(generatorID: "gen-a", slots: 52_246, malformed: ["truncated": [52_245]])
        let report = ReconciliationReport(ledger: ledger, manifests: [manifest])
        #expect(report.ok, "\(report.problems)")
        #expect(report.generators[0].duplicated == 0)
        #expect(report.generators[0].refusableMissing == 1 && report.deadLettersUnattributed == ["invalid_json": 1])
    }

    @Test func missingMalformedSlotsBeyondTheUnattributedDeadLettersAreLost() {
        var ledger = SlotLedger()
        for seq in 0..<10 where seq != 2 && seq != 5 { add(&ledger, record("gen-a", Int64(seq))) }
        ledger.addDeadLetter(origin: "t/0/2", reason: "invalid_json", record: Array(#"{"seq":2"#.utf8))
        let manifest = RunManifestDocument(generatorID: "gen-a", slots: 10, malformed: ["truncated": [2, 5]])
        let report = ReconciliationReport(ledger: ledger, manifests: [manifest])
        #expect(!report.ok)
        #expect(report.lostByCount == 1)
    }

    @Test func aSlotBothStoredAndDeadLetteredIsADuplicate() {
        var ledger = SlotLedger()
        for seq in 0..<5 { add(&ledger, record("gen-a", Int64(seq))) }
        ledger.addDeadLetter(origin: "t/0/9", reason: "wrong_type", record: record("gen-a", 3, extra: #","src_port":"443""#))
        var reversed = SlotLedger()
        reversed.addDeadLetter(origin: "t/0/9", reason: "wrong_type", record: record("gen-a", 3, extra: #","src_port":"443""#))
        for seq in 0..<5 { add(&reversed, record("gen-a", Int64(seq))) }
        for report in [ReconciliationReport(ledger: ledger, manifests: []), ReconciliationReport(ledger: reversed, manifests: [])] {
            #expect(!report.ok)
            #expect(report.generators[0].duplicated == 1 && report.generators[0].duplicateSample == [3])
        }
    }

    @Test func aDeadLetterStoredTwiceIsADuplicate() {
        var ledger = SlotLedger()
        add(&ledger, record("gen-a", 0))
        ledger.addDeadLetter(origin: "t/0/1", reason: "invalid_json", record: Array("{".utf8))
        ledger.addDeadLetter(origin: "t/0/1", reason: "invalid_json", record: Array("{".utf8))
        let report = ReconciliationReport(ledger: ledger, manifests: [RunManifestDocument(generatorID: "gen-a", slots: 2, malformed: ["truncated": [1]])])
        #expect(!report.ok)
        #expect(report.deadLettersDuplicated == 1)
    }

    @Test func generatorsAreKeptApartAndRecordsWithoutSlotsCounted() {
        var ledger = SlotLedger()
        add(&ledger, record("gen-a", 0))
        add(&ledger, record("gen-b", 0))
        Array(#"{"timestamp":1}"#.utf8).withUnsafeBytes { ledger.addRecord($0) }
        let report = ReconciliationReport(ledger: ledger, manifests: [])
        #expect(report.ok)
        #expect(report.generators.map(\.generatorID) == ["gen-a", "gen-b"])
        #expect(report.recordsWithoutSlot == 1 && report.records == 3)
        #expect(report.json.contains(#""generator_id":"gen-b""#))
    }

    @Test func aManifestIsReadAndMisshapenOnesAreRefused() throws {
        let text = #"{"generator_id":"gen-a","dataset":"flow","slots":10,"records":8,"complete":true,"dropped":[[3,4]],"malformed":{"truncated":[7]}}"#
        let manifest = try RunManifestDocument(json: Array(text.utf8), origin: "m.json")
        #expect(manifest == RunManifestDocument(generatorID: "gen-a", slots: 10, records: 8, dropped: [3...4], malformed: ["truncated": [7]]))
        #expect(throws: RunManifestDocument.ReadError.self) { try RunManifestDocument(json: Array(#"{"slots":1}"#.utf8), origin: "m.json") }
        #expect(throws: RunManifestDocument.ReadError.self) {
            try RunManifestDocument(json: Array(#"{"generator_id":"g","slots":5,"dropped":[[4,2]]}"#.utf8), origin: "m.json")
        }
    }
}

@Suite struct RecordSlotTests {
    private func slot(_ text: String) -> RecordSlot? {
        Array(text.utf8).withUnsafeBytes { RecordSlot.read($0) }
    }

    @Test func aRepeatedSlotKeyNamesNoSlot() {
        // Readers disagree on which of two values counts (Foundation and Python take the last).
        #expect(slot(#"{"generator_id":"a","seq":1,"seq":"x"}"#) == nil)
        #expect(slot(#"{"generator_id":"a","seq":1,"generator_id":2}"#) == nil)
        #expect(slot(#"{"generator_id":"a","seq":1,"seq":1}"#) == nil)
        #expect(slot(#"{"generator_id":"a","seq":1}"#) == RecordSlot(generatorID: "a", seq: 1))
    }

    @Test func anEscapedKeyIsTheSameKey() {
        #expect(slot(#"{"generator_id":"a","s\u0065q":7}"#) == RecordSlot(generatorID: "a", seq: 7))
        #expect(slot(#"{"generator_id":"a","seq":7,"s\u0065q":8}"#) == nil)
    }

    @Test func slotsNeedANonNegativeIntegerAndAString() {
        #expect(slot(#"{"generator_id":"a","seq":-1}"#) == nil)
        #expect(slot(#"{"generator_id":"a","seq":1.5}"#) == nil)
        #expect(slot(#"{"generator_id":1,"seq":1}"#) == nil)
        #expect(slot(#"{"generator_id":"a","seq":1} x"#) == nil)
        #expect(slot(#"  {"generator_id":"a","seq":3}  "#) == RecordSlot(generatorID: "a", seq: 3))
    }
}
