import TelemetryModel

/// What a reader found, slot by slot: the records present (and those seen more than once), the
/// dead letters (attributed to a slot when the refused record is still one whole JSON object
/// with `generator_id` and `seq`, else counted by reason), and records that carry no slot at all.
/// ``report(manifests:)`` compares it with what the generators wrote.
public struct SlotLedger: Sendable {
    struct Generator: Sendable {
        var present = SlotSet()
        var deadLettered = SlotSet()
        var duplicates = 0
        var duplicateSample: [Int64] = []
        var deadLetterReasons: [String: Int] = [:]

        mutating func noteDuplicate(_ seq: Int64) {
            duplicates += 1
            if duplicateSample.count < ReconciliationReport.sampleLimit { duplicateSample.append(seq) }
        }
    }

    /// Slots above this are not believed (a record whose `seq` is out of range on purpose).
    public static let largestSlot: Int64 = 1 << 40

    var generators: [String: Generator] = [:]
    public private(set) var records = 0
    public private(set) var recordsWithoutSlot = 0
    public private(set) var deadLetters = 0
    public private(set) var unattributedDeadLetters: [String: Int] = [:]
    public private(set) var duplicateDeadLetters = 0
    private var deadLetterOrigins: Set<String> = []

    public init() {}

    /// A record read from a records object or a topic: one JSON object without its newline.
    public mutating func addRecord(_ bytes: UnsafeRawBufferPointer) {
        addRecord(slot: RecordSlot.read(bytes))
    }

    /// `count` records that name no slot (the rows of a table without `generator_id` and `seq`).
    public mutating func addRecordsWithoutSlot(_ count: Int) {
        records += count
        recordsWithoutSlot += count
    }

    public mutating func addRecord(slot: RecordSlot?) {
        records += 1
        guard let slot, slot.seq <= Self.largestSlot else {
            recordsWithoutSlot += 1
            return
        }
        var generator = generators[slot.generatorID, default: Generator()]
        // A slot stored twice, or stored and also dead-lettered, is there more than once.
        if !generator.present.insert(slot.seq) || generator.deadLettered.contains(slot.seq) { generator.noteDuplicate(slot.seq) }
        generators[slot.generatorID] = generator
    }

    /// A dead letter: where the refused message came from (`topic/partition/offset`, when known:
    /// the same origin twice is a dead letter stored twice), why, and the refused record's bytes.
    /// `slot`: the slot the message named outside its record (its Kafka headers), which wins over
    /// whatever the record's bytes still say.
    public mutating func addDeadLetter(origin: String?, reason: String, record: [UInt8]?, slot named: RecordSlot? = nil) {
        deadLetters += 1
        if let origin, !deadLetterOrigins.insert(origin).inserted {
            duplicateDeadLetters += 1
            return
        }
        let slot = named ?? record.flatMap { bytes in bytes.withUnsafeBytes { RecordSlot.read($0) } }
        guard let slot, slot.seq <= Self.largestSlot else {
            unattributedDeadLetters[reason, default: 0] += 1
            return
        }
        var generator = generators[slot.generatorID, default: Generator()]
        if !generator.deadLettered.insert(slot.seq) || generator.present.contains(slot.seq) { generator.noteDuplicate(slot.seq) }
        generator.deadLetterReasons[reason, default: 0] += 1
        generators[slot.generatorID] = generator
    }
}
