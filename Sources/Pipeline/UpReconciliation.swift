import CoreMetrics
import Foundation
import GeneratorRuntime
import Logging
import ObjectStorage
import Reconciliation
import ServiceLifecycle
import Synchronization

/// `netchaos up`'s running account of every flow record, the reconciliation `netchaos verify` does,
/// done as the pipeline goes: every few seconds it takes the flow generator's manifest so far (the
/// slots written, the planned drops and malformed records), reads the objects the sink stored since
/// the last pass (records and dead letters; objects in the store before `up` started are not this
/// run's), and counts each slot as present, dead-lettered, a planned drop or pending (written, not
/// stored yet). Slots are counted once, however many passes read them; a slot seen twice is a
/// duplicate at once.
///
/// When the pipeline stops (after the sink has stored everything), a last pass gives the verdict:
/// nothing pending any more, so a missing slot is a lost one. The run's manifest is then stored
/// beside the data (`manifests/GENERATOR_ID.manifest.json`), so `netchaos verify --store` can check
/// the store again later.
public final class UpReconciliation: Service, Sendable {
    /// The latest pass, for the live page.
    public struct Status: Sendable {
        /// Slots the generator has written so far (every record taken, planned drops included).
        public var slots: Int64
        public var present: Int
        /// Dead letters: attributed to their slot, and those whose record no longer names it.
        public var deadLettered: Int
        public var plannedDrops: Int64
        /// Written, not yet stored or dead-lettered (0 in the final pass).
        public var pending: Int
        /// Final pass only: slots neither present, dead-lettered nor planned drops.
        public var lost: Int
        public var duplicates: Int
        public var objectsRead: Int
        public var final: Bool
        public var ok: Bool
        public var problems: [String]
        /// Unix seconds of the pass.
        public var time: Double
    }

    private struct Account: Sendable {
        var ledger = SlotLedger()
        /// Keys read (or there before the run).
        var known: Set<String> = []
        /// Whether the objects there before the run have been listed.
        var listedBefore = false
        var objectsRead = 0
        var lastFailure: String?
    }

    private let manifest: ManifestRecorder
    private let reader: StoreReader
    private let interval: Double
    private let logger: Logger
    private let latest = Mutex<Status?>(nil)
    private let result = Mutex<ReconciliationReport?>(nil)
    private let gauges: [String: Gauge]
    private let duplicateGauge = Gauge(label: "netchaos_up_duplicates")
    private let okGauge = Gauge(label: "netchaos_up_reconciliation_ok")
    private let objectsCounter = Counter(label: "netchaos_up_reconciliation_objects_total")

    static let states = ["written", "present", "dead_lettered", "planned_drop", "pending", "lost"]

    /// Reconciles what `manifest` says was written with what `store` holds, every `interval`
    /// seconds; dead letters are read from under `deadLetterPrefix`.
    public init(manifest: ManifestRecorder, store: any ObjectStore, deadLetterPrefix: String, interval: Double, logger: Logger) {
        self.manifest = manifest
        reader = StoreReader(store: store, deadLetterPrefix: deadLetterPrefix)
        self.interval = interval
        self.logger = logger
        gauges = Dictionary(uniqueKeysWithValues: Self.states.map { ($0, Gauge(label: "netchaos_up_slots", dimensions: [("state", $0)])) })
    }

    /// The latest pass (nil before the first).
    public var status: Status? { latest.withLock { $0 } }

    /// The final report, once the pipeline has stopped and the last pass has read the store.
    public var verdict: ReconciliationReport? { result.withLock { $0 } }

    public func run() async throws {
        var account = await cancelWhenGracefulShutdown { [self] in
            var account = Account()
            while !Task.isCancelled {
                await self.pass(&account, final: false)
                try? await Task.sleep(for: .seconds(self.interval))
            }
            return account
        }
        // The services stop from the last to the first: the sink has stored everything by now.
        await pass(&account, final: true)
        await storeManifest()
    }

    /// One pass: the manifest first, then the store, so that every slot the manifest counts was
    /// written before the read began.
    private func pass(_ account: inout Account, final: Bool) async {
        let written = manifest.snapshot
        do throws(StoreReader.ReadError) {
            if !account.listedBefore {
                account.known = try await reader.keys()
                account.listedBefore = true
            }
            let outcome = try await reader.read(into: &account.ledger, skipping: &account.known)
            account.objectsRead += outcome.objectsRead
            objectsCounter.increment(by: Int64(outcome.objectsRead))
            if account.lastFailure != nil {
                logger.info("reconciliation reads the store again")
                account.lastFailure = nil
            }
        } catch {
            if account.lastFailure != error.description {
                logger.warning("reconciliation could not read the store", metadata: ["error": "\(error.description)"])
            }
            account.lastFailure = error.description
            // Without a final read there is no verdict.
            if final { return }
        }
        let document = RunManifestDocument(
            generatorID: written.generatorID, slots: written.slots, records: Int64(written.records), dropped: written.dropped,
            malformed: Dictionary(uniqueKeysWithValues: written.malformed.map { ($0.key.name, $0.value) })
        )
        let report = ReconciliationReport(
            ledger: account.ledger, manifests: [document], sources: [reader.store.location], objectsRead: account.objectsRead, inFlight: !final
        )
        publish(report, written: written, final: final)
    }

    private func publish(_ report: ReconciliationReport, written: RunManifest, final: Bool) {
        let own = report.generators.first { $0.generatorID == written.generatorID }
        let unattributed = report.deadLettersUnattributed.values.reduce(0, +)
        let status = Status(
            slots: written.slots, present: own?.present ?? 0, deadLettered: (own?.deadLettered ?? 0) + unattributed,
            plannedDrops: own?.plannedDrops ?? 0, pending: report.pending,
            // In flight a report counts no slot lost: missing ones may still come.
            lost: report.generators.reduce(0) { $0 + $1.lost } + report.lostByCount,
            duplicates: report.generators.reduce(0) { $0 + $1.duplicated } + report.deadLettersDuplicated,
            objectsRead: report.objectsRead, final: final, ok: report.ok, problems: report.problems, time: Date().timeIntervalSince1970
        )
        latest.withLock { $0 = status }
        let values: [String: Int64] = [
            "written": written.slots, "present": Int64(status.present), "dead_lettered": Int64(status.deadLettered),
            "planned_drop": status.plannedDrops, "pending": Int64(status.pending), "lost": Int64(status.lost),
        ]
        for (state, gauge) in gauges { gauge.record(values[state] ?? 0) }
        duplicateGauge.record(status.duplicates)
        okGauge.record(report.ok ? 1 : 0)
        guard final else { return }
        result.withLock { $0 = report }
        let metadata: Logger.Metadata = [
            "slots": .stringConvertible(status.slots), "present": .stringConvertible(status.present),
            "dead_lettered": .stringConvertible(status.deadLettered), "planned_drops": .stringConvertible(status.plannedDrops),
            "lost": .stringConvertible(status.lost), "duplicates": .stringConvertible(status.duplicates),
        ]
        if report.ok {
            logger.notice("reconciliation: every slot is present, dead-lettered or a planned drop, and nothing is repeated", metadata: metadata)
        } else {
            logger.error("reconciliation failed", metadata: metadata.merging(["problems": "\(report.problems.joined(separator: "; "))"]) { $1 })
        }
    }

    /// Stores the run's manifest beside the data.
    private func storeManifest() async {
        let written = manifest.snapshot
        let key = "manifests/\(written.generatorID).manifest.json"
        do {
            _ = try await reader.store.put(key: key, body: written.json(complete: true), contentType: "application/json")
        } catch {
            logger.warning("could not store the run's manifest", metadata: ["key": "\(key)", "error": "\(error.description)"])
        }
    }
}
