import PropertyBased
import Reconciliation
import Testing

/// Over random runs: whatever is lost, repeated or planned away, the report accounts for every
/// slot once, and says OK exactly when nothing was lost or repeated.
@Suite struct ReconciliationPropertyTests {
    @Test func everySlotIsAccountedForOnce() async {
        await propertyCheck(
            count: 200,
            input: Gen.int(in: 1...3_000), Gen.int(in: 0...40).array(of: 0...30), Gen.int(in: 0...40).array(of: 0...30), Gen.int(in: 0...20).array(of: 0...10)
        ) { slots, dropSeeds, lossSeeds, duplicateSeeds in
            let drops = Set(dropSeeds.map { Int64($0 * 73 % slots) })
            let losses = Set(lossSeeds.map { Int64($0 * 131 % slots) }).subtracting(drops)
            let present = (0..<Int64(slots)).filter { !drops.contains($0) && !losses.contains($0) }
            let duplicates = duplicateSeeds.compactMap { present.isEmpty ? nil : present[$0 * 17 % present.count] }
            var ledger = SlotLedger()
            for seq in present + duplicates {
                Array(#"{"label":"normal","generator_id":"gen-p","seq":\#(seq)}"#.utf8).withUnsafeBytes { ledger.addRecord($0) }
            }
            let manifest = RunManifestDocument(generatorID: "gen-p", slots: Int64(slots), dropped: drops.sorted().map { $0...$0 })
            let report = ReconciliationReport(ledger: ledger, manifests: [manifest])
            let generator = report.generators.first
            #expect(generator?.present == present.count)
            #expect(generator?.missing == losses.count && generator?.lost == losses.count)
            #expect(generator.map { Int64($0.present + $0.missing) + $0.plannedDrops } == Int64(slots))
            #expect(generator?.duplicated == duplicates.count)
            #expect(report.ok == (losses.isEmpty && duplicates.isEmpty))
        }
    }
}
