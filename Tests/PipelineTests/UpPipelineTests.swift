import Configuration
import Foundation
import Logging
import ObjectStorage
import Pipeline
import Reconciliation
import Settings
import Synchronization
import Testing
import TransportSettings

/// `netchaos up` composed and run in this process: flows through the in-process queue to the sink
/// and into a directory, switch metrics posted to the ingester on the pipeline's own port, and the
/// reconciliation's verdict at the end.
@Suite struct UpPipelineTests {
    @Test("a short run stores every flow record, accounts for each, and posts switch metrics to its own port")
    func shortRun() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("up-pipeline-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let plan = try await UpPlanTests.plan([
            "generator.seed": "11", "generator.eps_target": "2000", "generator.duration": "1500ms", "up.port": "0", "up.host": "127.0.0.1",
            "sink.store": "file:\(directory)", "sink.flush_interval": "300ms", "up.reconcile_interval": "200ms", "log.interval_sec": "0",
            "generator.snapshot_interval": "500ms",
            // The stop waits for every stored batch however busy the machine is: what is checked
            // is what was stored and accounted for, not how fast.
            "sink.shutdown_timeout": "3600s",
        ])
        let store = try StoreSettings.makeStore(location: plan.sink.store, config: plan.reader, logger: Logger(label: "test.store"))
        let port = Mutex<Int?>(nil)
        let outcome = try await UpPipeline(plan: plan, store: store).run(listening: { bound in port.withLock { $0 = bound } })

        #expect(outcome.ok, "\(outcome.generatorErrors) \(outcome.verdict?.problems ?? [])")
        let verdict = try #require(outcome.verdict)
        #expect(!verdict.inFlight && verdict.ok)
        let generator = try #require(verdict.generators.first)
        #expect(generator.present > 0 && generator.lost == 0 && generator.duplicated == 0)
        #expect(Int64(generator.present + generator.deadLettered) + generator.plannedDrops + Int64(generator.refusableMissing) == generator.expectedSlots)
        #expect((port.withLock { $0 } ?? 0) > 0, "the server never said it listened")

        // What the verdict counted is what the directory holds, read again from scratch.
        var ledger = SlotLedger()
        let reread = try await StoreReader(store: LocalDirectoryStore(root: directory), deadLetterPrefix: plan.sink.deadLetterPrefix).read(into: &ledger)
        let again = ReconciliationReport(ledger: ledger, manifests: reread.manifests)
        #expect(again.ok, "\(again.problems)")
        #expect(again.generators.first?.present == generator.present)
        #expect(reread.manifests.map(\.generatorID) == [generator.generatorID], "the run's manifest is stored beside the data")
    }
}
