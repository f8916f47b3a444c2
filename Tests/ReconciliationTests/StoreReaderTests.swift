import Foundation
import ObjectStorage
import TelemetryFormats
import TelemetryModel
import Testing

@testable import Reconciliation

/// ``StoreReader`` over a directory holding records as Parquet, CSV (plain, gzip, zstd) and JSON
/// lines, dead letters, a manifest, and objects it must skip; and a Parquet object it cannot read.
@Suite struct StoreReaderTests {
    static func directory() throws -> (LocalDirectoryStore, URL) {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("netchaos-store-reader-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return (LocalDirectoryStore(root: url.path), url)
    }

    /// A Parquet file of `generator_id` and `seq` (nil: a null seq) in row groups of 100 rows.
    static func parquet(_ rows: [(String, Int64?)], seqType: ParquetField = .int64("seq", .optional)) -> [UInt8] {
        let writer = ParquetFileWriter(
            schema: ParquetSchema([.string("generator_id", .required, dictionary: true), .int64("bytes", .required), seqType]),
            options: ParquetWriterOptions(compression: .zstd, rowGroupRows: 100, pageRows: 30, parallelism: 1)
        )
        var out = WriteBuffer()
        for (id, seq) in rows {
            writer.columns[0].append(id)
            writer.columns[1].append(Int64(id.count))
            if let seq {
                if case .primitive(.int32, _) = seqType.kind { writer.columns[2].append(Int32(seq)) } else { writer.columns[2].append(seq) }
            } else {
                writer.columns[2].appendNull()
            }
            writer.endRows(1, into: &out)
        }
        writer.finish(into: &out)
        return out.bytes
    }

    static func compressed(_ text: String, gzip: Bool) -> [UInt8] {
        var out = WriteBuffer()
        Array(text.utf8).withUnsafeBytes { input in
            if gzip { GzipCompressor().compress(input, into: &out) } else { ZstdCompressor().compress(input, into: &out) }
        }
        return out.bytes
    }

    static func put(_ store: LocalDirectoryStore, _ key: String, _ bytes: [UInt8]) async throws {
        _ = try await store.put(key: key, body: bytes, contentType: "application/octet-stream")
    }

    @Test("Parquet, CSV and JSON lines records, dead letters and a manifest: every slot accounted for; labels, hidden files and non-JSON dead letters skipped")
    func everyFormat() async throws {
        let (store, url) = try Self.directory()
        defer { try? FileManager.default.removeItem(at: url) }
        // gen-a: slots 0-999. Parquet 0-449 (slot 120 a null seq: a planned malformed record),
        // CSV 450-599 plain, 600-699 gzip, 700-799 zstd (slot 650 cut short), JSON lines 800-999.
        let parquetRows: [(String, Int64?)] = (0..<450).map { ("gen-a", $0 == 120 ? nil : Int64($0)) }
        try await Self.put(store, "flows/part-0.parquet", Self.parquet(parquetRows))
        func csv(_ range: Range<Int>) -> String {
            "timestamp,flags,generator_id,seq\n" + range.map { seq in
                seq == 650 ? "1795334400,5a3f\n" : "1795334400,\"SYN,ACK\",gen-a,\(seq)\n"
            }.joined()
        }
        try await Self.put(store, "flows/part-1.csv", Array(csv(450..<600).utf8))
        try await Self.put(store, "flows/part-2.csv.gz", Self.compressed(csv(600..<700), gzip: true))
        try await Self.put(store, "flows/part-3.CSV.zst", Self.compressed(csv(700..<800), gzip: false))
        let json = (800..<1_000).map { #"{"label":"normal","generator_id":"gen-a","seq":\#($0)}"# }.joined(separator: "\n")
        try await Self.put(store, "flows/part-4.jsonl", Array(json.utf8))
        // gen-b: an INT32 seq column, and a file without generator_id or seq at all.
        try await Self.put(store, "flows/gen-b.parquet", Self.parquet((0..<5).map { ("gen-b", Int64($0)) }, seqType: .int32("seq", .required)))
        try await Self.put(store, "other/no-slots.parquet", Self.parquet((0..<7).map { ("gen-c", Int64($0)) }, seqType: .int64("sequence")))
        // Skipped: label sidecars, hidden files, Parquet and CSV under the dead-letter prefix, others.
        try await Self.put(store, "flows/part-0.labels.csv", Array("seq,label\n1,normal\n".utf8))
        try await Self.put(store, "flows/.part-5.parquet", Self.parquet([("gen-a", 5)]))
        try await Self.put(store, "dlq/refused.parquet", Self.parquet([("gen-a", 1)]))
        try await Self.put(store, "dlq/refused.csv", Array("generator_id,seq\ngen-a,2\n".utf8))
        try await Self.put(store, "flows/readme.txt", Array("hello".utf8))
        // A dead letter of a JSON record, and the manifest.
        try await Self.put(store, "dlq/part-0.jsonl", Array(#"{"reason":"invalid_json","offset":4,"partition":0,"topic":"flows","record":"{\"generator_id\":\"gen-x\",\"seq\":0}"}"#.utf8))
        try await Self.put(store, "run.manifest.json", Array(#"{"generator_id":"gen-a","slots":1000,"records":1000,"dropped":[],"malformed":{"truncated":[650],"wrong_type":[120]}}"#.utf8))

        var ledger = SlotLedger()
        let outcome = try await StoreReader(store: store).read(into: &ledger)
        #expect(outcome.objectsRead == 9)
        #expect(outcome.skipped.sorted() == ["dlq/refused.csv", "dlq/refused.parquet", "flows/.part-5.parquet", "flows/part-0.labels.csv", "flows/readme.txt"])
        #expect(outcome.manifests.map(\.generatorID) == ["gen-a"])
        #expect(ledger.records == 1_000 + 5 + 7)
        #expect(ledger.recordsWithoutSlot == 2 + 7)
        #expect(ledger.deadLetters == 1)

        let report = ReconciliationReport(ledger: ledger, manifests: outcome.manifests, objectsRead: outcome.objectsRead, objectsSkipped: outcome.skipped)
        let a = try #require(report.generators.first { $0.generatorID == "gen-a" })
        #expect(a.present == 998 && a.missing == 2 && a.refusableMissing == 2 && a.lost == 0 && a.duplicated == 0)
        #expect(a.missingRanges == ["120", "650"])
        let b = try #require(report.generators.first { $0.generatorID == "gen-b" })
        #expect(b.present == 5 && b.missing == 0)
        #expect(report.ok, "\(report.problems)")
        #expect(report.text.contains("skipped 5 objects that are not records, dead letters or manifests"))
    }

    @Test("a Parquet object whose row is stored twice, and one whose rows are missing, are reported")
    func duplicatesAndLosses() async throws {
        let (store, url) = try Self.directory()
        defer { try? FileManager.default.removeItem(at: url) }
        try await Self.put(store, "a.parquet", Self.parquet((0..<300).filter { !(40..<45).contains($0) && $0 != 299 }.map { ("gen-a", Int64($0)) }))
        try await Self.put(store, "b.parquet", Self.parquet([("gen-a", 7), ("gen-a", 250)]))
        var ledger = SlotLedger()
        _ = try await StoreReader(store: store).read(into: &ledger)
        let report = ReconciliationReport(ledger: ledger, manifests: [RunManifestDocument(generatorID: "gen-a", slots: 300)])
        #expect(!report.ok)
        #expect(report.generators[0].missingRanges == ["40-44", "299"])
        #expect(report.generators[0].duplicated == 2 && report.generators[0].duplicateSample == [7, 250])
    }

    @Test("an unreadable Parquet object is an error naming it and the problem; nothing of it is counted and it is read again next time")
    func unreadableParquet() async throws {
        let (store, url) = try Self.directory()
        defer { try? FileManager.default.removeItem(at: url) }
        var good = Self.parquet((0..<10).map { ("gen-a", Int64($0)) })
        try await Self.put(store, "a.jsonl", Array(#"{"generator_id":"gen-a","seq":100}"#.utf8))
        // The footer length points past the file.
        good[good.count - 5] = 0x7F
        try await Self.put(store, "flows/broken.parquet", good)
        var ledger = SlotLedger()
        var known: Set<String> = []
        do {
            _ = try await StoreReader(store: store).read(into: &ledger, skipping: &known)
            Issue.record("the broken object was read")
        } catch {
            #expect(error.description.hasPrefix("flows/broken.parquet: not a readable Parquet file: the footer's length is"))
        }
        #expect(known == ["a.jsonl"])
        #expect(ledger.records == 1)
        // Not Parquet at all.
        try await Self.put(store, "flows/broken.parquet", Array("timestamp,seq\n1,2\n".utf8))
        do {
            _ = try await StoreReader(store: store).read(into: &ledger, skipping: &known)
            Issue.record("the broken object was read")
        } catch {
            #expect(error.description == "flows/broken.parquet: not a readable Parquet file: the file does not start with PAR1: not Parquet")
        }
    }
}
