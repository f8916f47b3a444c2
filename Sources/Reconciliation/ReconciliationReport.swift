import Foundation

/// The reconciliation of what a reader found (a ``SlotLedger``) with what the generators wrote
/// (their manifests): per generator, every slot is present, dead-lettered, a planned drop, or
/// missing; and anything seen twice. `ok` when nothing is missing and nothing is repeated.
public struct ReconciliationReport: Codable, Sendable {
    /// Sample seqs and ranges kept in a report.
    static let sampleLimit = 50

    public struct GeneratorReport: Codable, Sendable {
        public var generatorID: String
        /// Whether a manifest said how many slots there are and which were planned to be missing.
        public var hasManifest: Bool
        /// Slots 0 to `expectedSlots - 1`: from the manifest, else up to the largest `seq` found.
        public var expectedSlots: Int64
        public var present: Int
        public var deadLettered: Int
        public var deadLettersByReason: [String: Int]
        public var plannedDrops: Int64
        /// Slots the manifest planned to drop that were found anyway.
        public var plannedDropsFound: Int
        /// Slots found beyond the manifest's end.
        public var beyondManifest: Int
        /// Slots neither present, dead-lettered nor planned drops.
        public var missing: Int
        /// The first missing ranges (`812-815`).
        public var missingRanges: [String]
        /// Missing slots that may be dead letters whose record no longer names its slot (planned
        /// malformed records with a manifest; any missing slot without one).
        public var refusableMissing: Int
        /// Missing slots that no dead letter can explain (with a manifest: not planned malformed);
        /// 0 in flight, where they may still arrive.
        public var lost: Int
        /// Copies beyond the first of records and attributed dead letters.
        public var duplicated: Int
        public var duplicateSample: [Int64]

        enum CodingKeys: String, CodingKey {
            case generatorID = "generator_id", hasManifest = "manifest", expectedSlots = "expected_slots", present
            case deadLettered = "dead_lettered", deadLettersByReason = "dead_letters_by_reason", plannedDrops = "planned_drops"
            case plannedDropsFound = "planned_drops_found", beyondManifest = "beyond_manifest", missing, missingRanges = "missing_ranges"
            case refusableMissing = "missing_refusable", lost, duplicated, duplicateSample = "duplicate_sample"
        }
    }

    public var ok: Bool
    public var problems: [String]
    public var generators: [GeneratorReport]
    public var records: Int
    public var recordsWithoutSlot: Int
    public var deadLetters: Int
    /// Dead letters whose record does not name its slot, by reason.
    public var deadLettersUnattributed: [String: Int]
    /// Dead letters of the same message stored more than once.
    public var deadLettersDuplicated: Int
    /// Slots lost by count: refusable missing slots beyond the records and dead letters that do
    /// not name their slot.
    public var lostByCount: Int
    /// While the run goes on (``init(ledger:manifests:sources:objectsRead:objectsSkipped:inFlight:)``
    /// with `inFlight`): slots written but not yet stored or dead-lettered, beyond the records and
    /// dead letters that do not name their slot. 0 in a final report, where they are missing.
    public var pending: Int
    /// Whether this report was made while the run went on (missing slots may still arrive).
    public var inFlight: Bool
    public var sources: [String]
    public var objectsRead: Int
    public var objectsSkipped: [String]

    enum CodingKeys: String, CodingKey {
        case ok, problems, generators, records, recordsWithoutSlot = "records_without_slot", deadLetters = "dead_letters"
        case deadLettersUnattributed = "dead_letters_unattributed", deadLettersDuplicated = "dead_letters_duplicated"
        case lostByCount = "lost_by_count", sources, objectsRead = "objects_read", objectsSkipped = "objects_skipped"
        case pending, inFlight = "in_flight"
    }

    /// Compares `ledger` with `manifests` (by generator id). `inFlight`: the run goes on, the
    /// manifests were taken before the store was read, so a missing slot may still be on its way
    /// (``pending``, not lost) and a slot beyond a manifest is a newer record.
    public init(
        ledger: SlotLedger, manifests: [RunManifestDocument], sources: [String] = [], objectsRead: Int = 0, objectsSkipped: [String] = [],
        inFlight: Bool = false
    ) {
        let byID = Dictionary(manifests.map { ($0.generatorID, $0) }, uniquingKeysWith: { first, _ in first })
        var reports: [GeneratorReport] = []
        var problems: [String] = []
        for id in Set(ledger.generators.keys).union(byID.keys).sorted() {
            let found = ledger.generators[id] ?? SlotLedger.Generator()
            reports.append(Self.reconcile(id: id, found: found, manifest: byID[id], inFlight: inFlight))
        }
        // A record cut short names no slot, in a generator's own output as in a dead letter.
        let unattributed = ledger.unattributedDeadLetters.values.reduce(0, +) + ledger.recordsWithoutSlot
        let refusable = reports.reduce(0) { $0 + $1.refusableMissing }
        let lostByCount = inFlight ? 0 : max(0, refusable - unattributed)
        for report in reports {
            if report.lost > 0 {
                problems.append("\(report.generatorID): \(report.lost) slots lost (missing, and neither planned drops nor planned malformed records): \(report.missingRanges.prefix(10).joined(separator: ", "))")
            }
            if report.duplicated > 0 {
                problems.append("\(report.generatorID): \(report.duplicated) duplicates, such as seq \(report.duplicateSample.prefix(10).map(String.init).joined(separator: ", "))")
            }
            if report.plannedDropsFound > 0 {
                problems.append("\(report.generatorID): \(report.plannedDropsFound) slots the manifest planned to drop were found (a manifest of another run?)")
            }
            if report.beyondManifest > 0 && !inFlight {
                problems.append("\(report.generatorID): \(report.beyondManifest) slots beyond the manifest's \(report.expectedSlots) (a manifest of another run?)")
            }
        }
        if lostByCount > 0 {
            let withoutManifest = reports.filter { !$0.hasManifest && $0.refusableMissing > 0 }.map(\.generatorID)
            var text = "\(refusable) missing slots and \(unattributed) records or dead letters that do not name their slot: \(lostByCount) records lost"
            if !withoutManifest.isEmpty {
                text += " (or planned drops: without the run's manifest, --manifest, a planned gap in seq cannot be told from a lost record; \(withoutManifest.joined(separator: ", ")))"
            }
            problems.append(text)
        }
        if ledger.duplicateDeadLetters > 0 {
            problems.append("\(ledger.duplicateDeadLetters) dead letters stored more than once (same topic, partition and offset)")
        }
        self.ok = problems.isEmpty
        self.problems = problems
        self.generators = reports
        records = ledger.records
        recordsWithoutSlot = ledger.recordsWithoutSlot
        deadLetters = ledger.deadLetters
        deadLettersUnattributed = ledger.unattributedDeadLetters
        deadLettersDuplicated = ledger.duplicateDeadLetters
        self.lostByCount = lostByCount
        self.inFlight = inFlight
        pending = inFlight ? max(0, reports.reduce(0) { $0 + $1.missing } - unattributed) : 0
        self.sources = sources
        self.objectsRead = objectsRead
        self.objectsSkipped = objectsSkipped
    }

    private static func reconcile(id: String, found: SlotLedger.Generator, manifest: RunManifestDocument?, inFlight: Bool) -> GeneratorReport {
        let seen = max(found.present.end, found.deadLettered.end)
        let expected = manifest?.slots ?? seen
        var drops = SlotSet()
        for range in manifest?.dropped ?? [] where range.lowerBound < expected {
            drops.insert(contentsOf: range.lowerBound...min(range.upperBound, expected - 1))
        }
        var malformed = SlotSet()
        for seq in (manifest?.malformed ?? [:]).values.joined() { malformed.insert(seq) }
        let tally = SlotTally(expected: expected, present: found.present, deadLettered: found.deadLettered, drops: drops, malformed: manifest == nil ? nil : malformed)
        let presentBeyond = manifest == nil ? 0 : found.present.count(from: expected)
        let deadLetteredBeyond = manifest == nil ? 0 : found.deadLettered.count(from: expected)
        // In flight, slots beyond the manifest are records newer than it: counted next time.
        return GeneratorReport(
            generatorID: id, hasManifest: manifest != nil, expectedSlots: expected,
            present: found.present.count - (inFlight ? presentBeyond : 0),
            deadLettered: found.deadLettered.count - (inFlight ? deadLetteredBeyond : 0), deadLettersByReason: found.deadLetterReasons, plannedDrops: Int64(drops.count),
            plannedDropsFound: tally.dropsFound, beyondManifest: presentBeyond + deadLetteredBeyond, missing: tally.missing,
            missingRanges: tally.missingRanges.map(SlotRanges.text), refusableMissing: tally.refusable, lost: inFlight ? 0 : tally.lost,
            duplicated: found.duplicates, duplicateSample: found.duplicateSample
        )
    }

    /// The report for people: one block per generator, then the verdict.
    public var text: String {
        var lines: [String] = []
        lines.append("read \(objectsRead) objects from \(sources.joined(separator: ", ")): \(records) records (\(recordsWithoutSlot) without generator_id and seq), \(deadLetters) dead letters")
        if !objectsSkipped.isEmpty {
            lines.append("skipped \(objectsSkipped.count) objects that are not records, dead letters or manifests: \(objectsSkipped.prefix(5).joined(separator: ", "))\(objectsSkipped.count > 5 ? ", ..." : "")")
        }
        for g in generators {
            lines.append("")
            lines.append("\(g.generatorID)\(g.hasManifest ? "" : " (no manifest)"): slots 0-\(max(g.expectedSlots - 1, 0)) (\(g.expectedSlots))")
            lines.append("  present        \(g.present)")
            let reasons = g.deadLettersByReason.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            lines.append("  dead letters   \(g.deadLettered)\(reasons.isEmpty ? "" : " (\(reasons))")")
            if g.hasManifest { lines.append("  planned drops  \(g.plannedDrops)") }
            lines.append("  missing        \(g.missing)\(g.missingRanges.isEmpty ? "" : ": " + g.missingRanges.prefix(10).joined(separator: ", ") + (g.missingRanges.count > 10 ? ", ..." : ""))")
            if g.missing > 0 { lines.append("    of which may be refused records that no longer name their slot: \(g.refusableMissing)") }
            lines.append("  duplicated     \(g.duplicated)")
        }
        if !deadLettersUnattributed.isEmpty {
            let reasons = deadLettersUnattributed.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            lines.append("")
            lines.append("dead letters whose record does not name its slot: \(deadLettersUnattributed.values.reduce(0, +)) (\(reasons))")
        }
        lines.append("")
        if ok {
            let refusable = generators.reduce(0) { $0 + $1.refusableMissing }
            let unnamed = refusable > 0 ? " (\(refusable) of them as records or dead letters that no longer name their slot, counted)" : ""
            lines.append("OK: every slot is present, dead-lettered or a planned drop\(unnamed), and nothing is repeated")
        } else {
            lines.append("FAILED:")
            for problem in problems { lines.append("  - \(problem)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The report as JSON (keys sorted).
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
