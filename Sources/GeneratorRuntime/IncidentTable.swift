import TelemetryFormats
import TelemetryModel

/// The ground truth by incident: each incident whose records a run wrote, with its family,
/// technique, stage and label, the span of its records (first packet to last), how many records it
/// made, and the addresses they came from and went to. Built from the records as they are written,
/// so it matches the labelled records one for one.
struct IncidentTable {
    /// Addresses listed per incident and side; the counts are always whole.
    static let listedAddresses = 1_000

    struct Entry {
        var startMs: Int64
        var endMs: Int64
        var records: UInt64
        var sources: Set<UInt32>
        var targets: Set<UInt32>
    }

    private(set) var entries: [IncidentID: Entry] = [:]
    /// Whether something changed since the last rendering.
    private(set) var changed = false

    /// Counts one written record.
    @inline(__always)
    mutating func add(_ e: FlowEvent) {
        guard !e.incident.isNone else { return }
        changed = true
        if var entry = entries[e.incident] {
            entry.startMs = min(entry.startMs, e.startMs)
            entry.endMs = max(entry.endMs, e.endMs)
            entry.records += 1
            entry.sources.insert(e.srcIP.value)
            entry.targets.insert(e.dstIP.value)
            entries[e.incident] = entry
        } else {
            entries[e.incident] = Entry(startMs: e.startMs, endMs: e.endMs, records: 1, sources: [e.srcIP.value], targets: [e.dstIP.value])
        }
    }

    /// The incidents by start (then id).
    var sorted: [(id: IncidentID, entry: Entry)] {
        entries.map { (id: $0.key, entry: $0.value) }.sorted { ($0.entry.startMs, $0.id) < ($1.entry.startMs, $1.id) }
    }

    static let csvColumns = ["incident_id", "family", "technique", "stage", "label", "start", "end", "start_ms", "end_ms", "records",
                             "sources_count", "targets_count", "sources", "targets"]

    /// The table as JSON lines (`csv` false) or CSV with a header; marks it unchanged.
    mutating func render(csv: Bool) -> [UInt8] {
        changed = false
        var out = csv ? Self.csvColumns.joined(separator: ",") + "\n" : ""
        for (id, entry) in sorted {
            let family = id.family
            let sources = Self.addresses(entry.sources)
            let targets = Self.addresses(entry.targets)
            let technique = family.technique?.description
            if csv {
                out += [id.text, family.name, technique ?? "", family.stage.description, family.label.name, Self.iso(entry.startMs), Self.iso(entry.endMs),
                        String(entry.startMs), String(entry.endMs), String(entry.records), String(entry.sources.count), String(entry.targets.count),
                        sources.joined(separator: " "), targets.joined(separator: " ")].joined(separator: ",") + "\n"
            } else {
                func list(_ items: [String]) -> String { "[" + items.map { "\"\($0)\"" }.joined(separator: ",") + "]" }
                out += "{\"incident_id\":\"\(id.text)\",\"family\":\"\(family.name)\",\"technique\":\(technique.map { "\"\($0)\"" } ?? "null"),"
                    + "\"stage\":\"\(family.stage)\",\"label\":\"\(family.label.name)\",\"start\":\"\(Self.iso(entry.startMs))\",\"end\":\"\(Self.iso(entry.endMs))\","
                    + "\"start_ms\":\(entry.startMs),\"end_ms\":\(entry.endMs),\"records\":\(entry.records),"
                    + "\"sources_count\":\(entry.sources.count),\"targets_count\":\(entry.targets.count),"
                    + "\"sources\":\(list(sources)),\"targets\":\(list(targets))}\n"
            }
        }
        return Array(out.utf8)
    }

    /// Up to ``listedAddresses`` addresses, in numeric order.
    static func addresses(_ set: Set<UInt32>) -> [String] {
        set.sorted().prefix(listedAddresses).map { IPv4Address($0).description }
    }

    /// RFC 3339 UTC with milliseconds (as transactions write their times).
    static func iso(_ ms: Int64) -> String {
        var text = [UInt8](repeating: 0, count: 32)
        let count = text.withUnsafeMutableBufferPointer { buffer in
            var p = buffer.baseAddress!
            ByteWriting.rfc3339(&p, millis: ms)
            return p - buffer.baseAddress!
        }
        return String(decoding: text[..<count], as: UTF8.self)
    }
}
