import TelemetryModel

/// Writes flow events as JSON lines: the Go producer's fields in its order (`tags` with
/// the observing host's `vpc_id` and `account_id` added), then `packets_received`, `start_ms`,
/// `end_ms`, `session_id`, `label`, `anomalies`, `malformed_kind` (malformed records only),
/// `incident_id`, `technique` and `stage` (records an incident produced only), `generator_id` and
/// `seq`. Without labels (`--labels sidecar` or `none`), the ground truth (`label` to `stage`) is
/// left out.
///
/// Malformed records are broken on purpose, as their ``Malformation`` says.
///
/// Sendable: immutable after `init`: all stored properties are `let`; `pairs` points at a table filled once
/// (`ByteWriting.digitPairs`), and the StringTable and VocabularyTables buffers are written only in `init`.
public final class FlowJSONEncoder: @unchecked Sendable {
    let tables: VocabularyTables
    /// Digit pairs, held here so the hot loop reads no lazy global.
    let pairs = ByteWriting.digitPairs
    /// An upper bound on the bytes one record takes.
    public let maxRecordBytes: Int
    /// `{"protocol":"HTTP/2","method":"GET","host":"` for every protocol and method, at
    /// `protocol * methods + method`.
    let appLayerOpening: StringTable
    let methods = AppMethod.allCases.count
    /// Whether records carry their ground truth.
    let labels: Bool
    /// Every field's key.
    let keys = FlowJSONKeys()

    public init(vocabulary: FlowVocabulary, labels: Bool = true) {
        self.labels = labels
        tables = VocabularyTables(vocabulary, name: StringTable.jsonEscaped, tags: Self.tagsObject, escape: StringTable.jsonEscaped)
        maxRecordBytes = 800 + FlowJSONKeys.slotBytes + tables.maxRecordBytes
        precondition(AppProtocol.allCases.enumerated().allSatisfy { Int($1.rawValue) == $0 } && AppMethod.allCases.enumerated().allSatisfy { Int($1.rawValue) == $0 })
        appLayerOpening = StringTable(encoded: AppProtocol.allCases.flatMap { app in
            AppMethod.allCases.map { method in
                Array("{\"\(FlowRecordField.appProtocol.key)\":\"\(app.name)\",\"\(FlowRecordField.method.key)\":\"\(method.name)\",\"\(FlowRecordField.host.key)\":\"".utf8)
            }
        })
    }

    /// Appends `count` records and stores, for each, the buffer offset just past its newline.
    public func encode(_ events: UnsafePointer<FlowEvent>, count: Int, into buffer: inout WriteBuffer, recordEnds: UnsafeMutablePointer<Int>) {
        buffer.reserve(count * maxRecordBytes)
        let base = buffer.base
        buffer.withWriter { start in
            var p = start
            for i in 0..<count {
                let recordStart = p
                write(&p, events[i])
                if let fraction = events[i].malformation.flatMap({ $0.kind == .truncated ? $0.variant & 0xffff : nil }) {
                    // Keep at least 8 bytes and never the closing brace.
                    let length = p - recordStart - 2
                    p = recordStart + 8 + Int(fraction) * (length - 8) / 65_536
                    ByteWriting.byte(&p, UInt8(ascii: "\n"))
                }
                recordEnds[i] = p - base
            }
            return p
        }
    }

    /// `{"env":...,"account_id":...}` of one identity.
    static func tagsObject(_ identity: FlowVocabulary.Identity?) -> [UInt8] {
        var out = Array("{".utf8)
        for (i, (key, value)) in zip(VocabularyTables.tagKeys, VocabularyTables.tagValues(identity)).enumerated() {
            out += Array(((i == 0 ? "\"" : ",\"") + key + "\":\"").utf8)
            StringTable.appendJSONEscaped(value.utf8, to: &out)
            out.append(UInt8(ascii: "\""))
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// One record, newline included.
    @inline(__always)
    func write(_ p: inout UnsafeMutablePointer<UInt8>, _ e: FlowEvent) {
        let pairs = self.pairs
        let keys = self.keys
        let plan = MalformationPlan(e.malformation)
        let variant = e.malformation?.variant ?? 0
        var first = true
        @inline(__always) func key(_ field: FlowRecordField) -> Bool {
            if plan.missing == field { return false }
            keys.write(&p, field, first: first)
            first = false
            return true
        }
        @inline(__always) func number(_ field: FlowRecordField, _ value: Int64) {
            if plan.outOfRange == field {
                ByteWriting.signed(&p, plan.outOfRangeValue(field, variant: variant), pairs: pairs)
            } else if plan.wrongType == field {
                ByteWriting.byte(&p, UInt8(ascii: "\""))
                ByteWriting.signed(&p, value, pairs: pairs)
                ByteWriting.byte(&p, UInt8(ascii: "\""))
            } else {
                ByteWriting.signed(&p, value, pairs: pairs)
            }
        }
        @inline(__always) func address(_ field: FlowRecordField, _ value: IPv4Address) {
            ByteWriting.byte(&p, UInt8(ascii: "\""))
            if plan.badIP == field { ByteWriting.literal(&p, plan.badIPText) } else { ByteWriting.ipv4(&p, value.value) }
            ByteWriting.byte(&p, UInt8(ascii: "\""))
        }

        // The end's digits once: `timestamp` is them without the last three.
        var endDigits = (UInt64(0), UInt64(0))
        var endLength = 0
        withUnsafeMutableBytes(of: &endDigits) { raw in
            let start = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            var q = start
            ByteWriting.signed(&q, e.endMs, pairs: pairs)
            endLength = q - start
        }
        if key(.timestamp) {
            if plan.outOfRange == nil && plan.wrongType != .timestamp && e.endMs >= 1_000 {
                withUnsafeBytes(of: &endDigits) { ByteWriting.bytes(&p, $0.baseAddress!.assumingMemoryBound(to: UInt8.self), endLength - 3) }
            } else {
                number(.timestamp, e.timestamp)
            }
        }
        if key(.eventID) {
            ByteWriting.byte(&p, UInt8(ascii: "\""))
            ByteWriting.uuid(&p, high: e.eventID.high, low: e.eventID.low)
            ByteWriting.byte(&p, UInt8(ascii: "\""))
        }
        if key(.srcIP) { address(.srcIP, e.srcIP) }
        if key(.dstIP) { address(.dstIP, e.dstIP) }
        if key(.srcPort) { number(.srcPort, Int64(e.srcPort)) }
        if key(.dstPort) { number(.dstPort, Int64(e.dstPort)) }
        if key(.transport) {
            if plan.wrongType == .transport {
                ByteWriting.unsigned(&p, UInt64(e.transport.rawValue))
            } else {
                ByteWriting.byte(&p, UInt8(ascii: "\""))
                ByteWriting.literal(&p, e.transport.staticName)
                ByteWriting.byte(&p, UInt8(ascii: "\""))
            }
        }
        if key(.bytesSent) { number(.bytesSent, e.bytesSent) }
        if key(.bytesReceived) { number(.bytesReceived, e.bytesReceived) }
        if key(.latencyMs) { number(.latencyMs, Int64(e.latencyMs)) }
        if key(.packetsSent) { number(.packetsSent, Int64(e.packetsSent)) }
        if key(.flags) {
            if plan.wrongType == .flags {
                ByteWriting.byte(&p, UInt8(ascii: "\""))
                WireNames.flags(&p, e.flags, quote: false, separator: UInt8(ascii: ","))
                ByteWriting.byte(&p, UInt8(ascii: "\""))
            } else {
                ByteWriting.byte(&p, UInt8(ascii: "["))
                WireNames.flags(&p, e.flags, quote: true, separator: UInt8(ascii: ","))
                ByteWriting.byte(&p, UInt8(ascii: "]"))
            }
        }
        if key(.appLayer) {
            appLayerOpening.write(&p, Int(e.appProtocol.rawValue) * methods + Int(e.appMethod.rawValue))
            tables.writeName(&p, e)
            ByteWriting.byte(&p, UInt8(ascii: "\""))
            keys.write(&p, .statusCode)
            ByteWriting.signed(&p, Int64(e.statusCode), pairs: pairs)
            ByteWriting.byte(&p, UInt8(ascii: "}"))
        }
        if key(.tags) { tables.writeTags(&p, e) }
        keys.write(&p, .packetsReceived, first: first)
        ByteWriting.signed(&p, Int64(e.packetsReceived), pairs: pairs)
        keys.write(&p, .startMs)
        if e.startMs >= 100_000_000 && e.startMs / 100_000_000 == e.endMs / 100_000_000 {
            // The start's leading digits are the end's: copy them, write the last eight.
            withUnsafeBytes(of: &endDigits) { ByteWriting.bytes(&p, $0.baseAddress!.assumingMemoryBound(to: UInt8.self), endLength - 8) }
            ByteWriting.eightDigits(p, UInt64(e.startMs % 100_000_000), pairs: pairs)
            p += 8
        } else {
            ByteWriting.signed(&p, e.startMs, pairs: pairs)
        }
        keys.write(&p, .endMs)
        withUnsafeBytes(of: &endDigits) { ByteWriting.bytes(&p, $0.baseAddress!.assumingMemoryBound(to: UInt8.self), endLength) }
        keys.write(&p, .sessionID)
        ByteWriting.signed(&p, e.sessionID, pairs: pairs)
        if labels { IncidentFields.writeFlowTruthJSON(&p, e, keys: keys) }
        keys.write(&p, .generatorID)
        ByteWriting.byte(&p, UInt8(ascii: "\""))
        tables.generatorID.write(&p, 0)
        ByteWriting.byte(&p, UInt8(ascii: "\""))
        keys.write(&p, .seq)
        ByteWriting.signed(&p, e.seq, pairs: pairs)
        ByteWriting.literal(&p, "}\n")
    }
}
