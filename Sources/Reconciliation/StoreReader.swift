import ObjectStorage
import TelemetryFormats

/// Reads every object of a store (a directory or an S3 prefix) into a ``SlotLedger``: records
/// objects (JSON lines, CSV, each plain, gzip or zstd, and Parquet), dead-letter objects (JSON
/// lines) under the dead-letter prefix, and run manifests (`*.manifest.json`). Other objects
/// (label sidecars, hidden files, anything else, and whatever is not JSON lines under the
/// dead-letter prefix) are listed as skipped.
public struct StoreReader: Sendable {
    public var store: any ObjectStore
    public var deadLetterPrefix: String

    public init(store: any ObjectStore, deadLetterPrefix: String = "dlq") {
        self.store = store
        var prefix = deadLetterPrefix
        while prefix.hasSuffix("/") { prefix.removeLast() }
        self.deadLetterPrefix = prefix
    }

    /// What the reader did besides filling the ledger.
    public struct Outcome: Sendable {
        public var objectsRead = 0
        public var skipped: [String] = []
        public var manifests: [RunManifestDocument] = []
    }

    /// Why a store could not be read.
    public struct ReadError: Error, CustomStringConvertible {
        public let description: String
    }

    /// How a records object is encoded.
    enum RecordFormat { case jsonLines, csv, parquet }

    enum Kind: Equatable { case records(RecordFormat), deadLetters, manifest, skipped }

    static func kind(of key: String, deadLetterPrefix: String) -> (Kind, compression: String?) {
        let lower = key.lowercased()
        let name = lower.split(separator: "/").last.map(String.init) ?? lower
        if name.hasSuffix(".manifest.json") { return (.manifest, nil) }
        if name.contains(".labels.") || name.hasPrefix(".") { return (.skipped, nil) }
        var compression: String?
        var base = name
        for (suffix, codec) in [(".gz", "gzip"), (".zst", "zstd")] where base.hasSuffix(suffix) {
            compression = codec
            base.removeLast(suffix.count)
        }
        let format: RecordFormat
        if base.hasSuffix(".json") || base.hasSuffix(".jsonl") || base.hasSuffix(".ndjson") {
            format = .jsonLines
        } else if base.hasSuffix(".csv") {
            format = .csv
        } else if base.hasSuffix(".parquet") && compression == nil {
            format = .parquet
        } else {
            return (.skipped, nil)
        }
        // Dead letters are JSON lines; anything else under their prefix is not read.
        if !deadLetterPrefix.isEmpty && key.hasPrefix(deadLetterPrefix + "/") {
            return format == .jsonLines ? (.deadLetters, compression) : (.skipped, nil)
        }
        return (.records(format), compression)
    }

    /// Reads everything into `ledger`.
    public func read(into ledger: inout SlotLedger) async throws(ReadError) -> Outcome {
        var known: Set<String> = []
        return try await read(into: &ledger, skipping: &known)
    }

    /// The keys of every object in the store now.
    /// A bucket that does not exist yet holds nothing (a sink creates it before it stores).
    public func keys() async throws(ReadError) -> Set<String> {
        Set(try await list(missingBucketIsEmpty: true).map(\.key))
    }

    /// Reads the objects whose keys are not in `known` into `ledger`, and adds their keys to
    /// `known`: called again, it reads only what was stored since.
    public func read(into ledger: inout SlotLedger, skipping known: inout Set<String>) async throws(ReadError) -> Outcome {
        var outcome = Outcome()
        // A key counts as read once it is: an object whose read fails (a store away, a cancelled
        // read) is read again next time.
        for object in try await list() where !known.contains(object.key) {
            let (kind, compression) = Self.kind(of: object.key, deadLetterPrefix: deadLetterPrefix)
            guard kind != .skipped else {
                known.insert(object.key)
                outcome.skipped.append(object.key)
                continue
            }
            var bytes: [UInt8]
            do {
                bytes = try await store.get(key: object.key)
            } catch {
                throw ReadError(description: "could not read \(object.key): \(error.description)")
            }
            do throws(Decompression.Failure) {
                switch compression {
                case "gzip": bytes = try Decompression.gunzip(bytes)
                case "zstd": bytes = try Decompression.unzstd(bytes)
                default: break
                }
            } catch {
                throw ReadError(description: "\(object.key): \(error.description)")
            }
            switch kind {
            case .records(.jsonLines):
                RecordLines.forEach(bytes) { ledger.addRecord($0) }
            case .records(.csv):
                CSVSlotReader.forEachRow(bytes) { ledger.addRecord(slot: $0) }
            case .records(.parquet):
                // Read whole before anything is added: an unreadable file adds nothing.
                let rows: ParquetSlotReader.Rows
                do throws(ParquetReadError) {
                    rows = try ParquetSlotReader.read(bytes)
                } catch {
                    throw ReadError(description: "\(object.key): not a readable Parquet file: \(error.description)")
                }
                for slot in rows.slots { ledger.addRecord(slot: slot) }
                ledger.addRecordsWithoutSlot(rows.withoutColumns)
            case .deadLetters:
                RecordLines.forEach(bytes) { line in
                    if let letter = DeadLetterLine(line) {
                        ledger.addDeadLetter(origin: letter.origin, reason: letter.reason, record: letter.record, slot: letter.slot)
                    } else {
                        ledger.addDeadLetter(origin: nil, reason: "unreadable_dead_letter", record: nil)
                    }
                }
            case .manifest:
                do throws(RunManifestDocument.ReadError) {
                    outcome.manifests.append(try RunManifestDocument(json: bytes, origin: object.key))
                } catch {
                    throw ReadError(description: error.description)
                }
            case .skipped:
                break
            }
            outcome.objectsRead += 1
            known.insert(object.key)
        }
        return outcome
    }

    private func list(missingBucketIsEmpty: Bool = false) async throws(ReadError) -> [StoredObject] {
        do {
            return try await store.list(prefix: "")
        } catch where missingBucketIsEmpty && error.code == .noSuchBucket {
            return []
        } catch {
            throw ReadError(description: "could not list \(store.location): \(error.description)")
        }
    }
}
