import TelemetryFormats
import TelemetryModel

/// What a run wrote, slot by slot, so that a reader can tell a planned gap from a lost record:
/// every `seq` from 0 to `slots - 1` is a record that was written, a planned drop (the chaos
/// engine's `DROP_PROB`, a switch missing from a snapshot), or both written and planned to be
/// refused (a malformed record). `netchaos verify --manifest` reads it.
///
/// `{"generator_id":"gen-2256b205","dataset":"flow","slots":1000000,"records":999003,"complete":true,
///   "dropped":[[812,812],[4410,4411]],"malformed":{"truncated":[77,9021],"wrong_type":[150]}}`
///
/// Kept from what every output took (``ManifestRecorder``); written when the run ends (also after
/// a stop), atomically.
public struct RunManifest: Sendable {
    public let generatorID: String
    public let dataset: Dataset
    /// The slot after the last record taken.
    public private(set) var slots: Int64 = 0
    public private(set) var records: UInt64 = 0
    /// Planned drops, as inclusive ranges in order.
    public private(set) var dropped: [ClosedRange<Int64>] = []
    public private(set) var malformed: [MalformedKind: [Int64]] = [:]

    init(generatorID: String, dataset: Dataset) {
        self.generatorID = generatorID
        self.dataset = dataset
    }

    /// Notes records `range` of `chunk`, which every output took.
    mutating func observe(_ chunk: FlowChunk, _ range: Range<Int>) {
        // Only flow records are malformed on purpose.
        let flows = chunk.dataset == .flow
        for i in range {
            let seq = chunk.seq(i)
            if seq > slots { dropped.append(slots...(seq - 1)) }
            if flows, let malformation = chunk.events[i].malformation {
                malformed[malformation.kind, default: []].append(seq)
            }
            slots = max(slots, seq + 1)
        }
        records += UInt64(range.count)
    }

    /// The manifest as one JSON line.
    public func json(complete: Bool) -> [UInt8] {
        var text = "{\"generator_id\":\(Self.quoted(generatorID)),\"dataset\":\"\(dataset.rawValue)\",\"slots\":\(slots),\"records\":\(records),\"complete\":\(complete)"
        text += ",\"dropped\":[" + dropped.map { "[\($0.lowerBound),\($0.upperBound)]" }.joined(separator: ",") + "]"
        text += ",\"malformed\":{" + MalformedKind.allCases.compactMap { kind in
            malformed[kind].map { "\"\(kind.name)\":[" + $0.map(String.init).joined(separator: ",") + "]" }
        }.joined(separator: ",") + "}}\n"
        return Array(text.utf8)
    }

    /// Writes the manifest over `path`.
    func write(to path: String, complete: Bool) throws(OutputError) {
        try TextFile.replace(path, with: json(complete: complete))
    }

    private static func quoted(_ text: String) -> String {
        var bytes: [UInt8] = [UInt8(ascii: "\"")]
        StringTable.appendJSONEscaped(text.utf8, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
        return String(decoding: bytes, as: UTF8.self)
    }
}
