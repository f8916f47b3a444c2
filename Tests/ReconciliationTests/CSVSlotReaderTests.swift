import Testing
import TelemetryModel

@testable import Reconciliation

/// The slots of CSV rows (RFC 4180): found by the header's names, through quoting; a row cut
/// short, one with a cell too many, broken quoting or a `seq` that is not a clean integer names
/// no slot.
@Suite struct CSVSlotReaderTests {
    static func slots(_ text: String) -> [RecordSlot?] {
        var slots: [RecordSlot?] = []
        CSVSlotReader.forEachRow(Array(text.utf8)) { slots.append($0) }
        return slots
    }

    static func slot(_ id: String, _ seq: Int64) -> RecordSlot { RecordSlot(generatorID: id, seq: seq) }

    @Test("columns found by name, quoted cells unquoted, commas, quotes and line ends inside quotes")
    func quoting() {
        let text = """
            timestamp,flags,"generator_id",note,seq
            1,"ACK,PSH",gen-a,plain,0
            2,SYN,"gen-a",\"\"\"quoted\"\", with, commas\",1
            3,"FIN,ACK","gen,b",\"two
            lines\",2
            4,,gen-a,,3

            """
        #expect(Self.slots(text) == [Self.slot("gen-a", 0), Self.slot("gen-a", 1), Self.slot("gen,b", 2), Self.slot("gen-a", 3)])
        // CRLF line ends, a byte order mark, empty lines between rows, no newline at the end.
        let windows = "\u{FEFF}seq,generator_id\r\n7,gen-c\r\n\r\n8,\"gen-c\"\r\n\n9,gen-c"
        #expect(Self.slots(windows) == [Self.slot("gen-c", 7), Self.slot("gen-c", 8), Self.slot("gen-c", 9)])
    }

    @Test("rows that name no slot: cut short, a cell too many, text or a sign in seq, an empty id, broken quoting")
    func malformedRows() {
        let text = """
            timestamp,flags,generator_id,seq
            1,"ACK,PSH",gen-a,0
            2,SYN,gen-a,n/a
            3,SYN,gen-a,-4
            4,SYN,gen-a,+5
            5,SYN,gen-a, 6
            6,SYN,gen-a,7.0
            7,SYN,,8
            8,SYN,gen-a,9,extra
            1795334400,5a3f
            9,"SYN"x,gen-a,10
            10,S"YN,gen-a,11
            11,SYN,gen-a,99999999999999999999
            12,SYN,gen-a,12

            """
        let slots = Self.slots(text)
        #expect(slots.count == 13)
        #expect(slots.first == Self.slot("gen-a", 0))
        #expect(slots.last == Self.slot("gen-a", 12))
        #expect(slots.dropFirst().dropLast().allSatisfy { $0 == nil })
    }

    @Test("a quote never closed swallows the rest: one row without a slot")
    func openQuote() {
        let text = "generator_id,seq,note\ngen-a,1,ok\ngen-a,2,\"open\ngen-a,3,more\n"
        #expect(Self.slots(text) == [Self.slot("gen-a", 1), nil])
    }

    @Test("a header without generator_id or seq, or naming one twice: every row is a record without a slot")
    func headers() {
        #expect(Self.slots("a,b\n1,2\n3,4\n") == [nil, nil])
        #expect(Self.slots("generator_id,seq,seq\ngen-a,1,1\n") == [nil])
        #expect(Self.slots("generator_id\ngen-a\n") == [nil])
        #expect(Self.slots("").isEmpty)
        #expect(Self.slots("\n\ngenerator_id,seq\n").isEmpty)
    }

    @Test("a ledger of CSV rows: slots present, repeated, and rows without a slot counted")
    func intoALedger() {
        var ledger = SlotLedger()
        let text = "generator_id,seq\ngen-a,0\ngen-a,1\ngen-a,1\ngen-a,oops\n"
        CSVSlotReader.forEachRow(Array(text.utf8)) { ledger.addRecord(slot: $0) }
        #expect(ledger.records == 4 && ledger.recordsWithoutSlot == 1)
        let report = ReconciliationReport(ledger: ledger, manifests: [RunManifestDocument(generatorID: "gen-a", slots: 3, malformed: ["wrong_type": [2]])])
        #expect(report.generators.first?.present == 2)
        #expect(report.generators.first?.duplicated == 1 && report.generators.first?.duplicateSample == [1])
        #expect(report.generators.first?.missingRanges == ["2"] && report.generators.first?.refusableMissing == 1)
    }
}
