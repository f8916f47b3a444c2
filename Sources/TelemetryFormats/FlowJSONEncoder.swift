import TelemetryModel

/// Writes flow events as JSON lines: the original's fields in the original's order, then `label`,
/// `anomalies`, `malformed_kind` (malformed records only), `generator_id` and `seq`.
///
/// Malformed records are broken on purpose, as their ``Malformation`` says.
public final class FlowJSONEncoder: @unchecked Sendable {
    let tables: VocabularyTables
    /// An upper bound on the bytes one record takes.
    public let maxRecordBytes: Int

    public init(vocabulary: FlowVocabulary) {
        tables = VocabularyTables(vocabulary, escape: StringTable.jsonEscaped, hostEscape: StringTable.jsonEscaped)
        maxRecordBytes = 720 + tables.maxRecordBytes
    }

    /// Appends `count` records and stores, for each, the buffer offset just past its newline.
    public func encode(_ events: UnsafePointer<FlowEvent>, count: Int, into buffer: inout ByteBuffer, recordEnds: UnsafeMutablePointer<Int>) {
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

    /// One record, newline included.
    @inline(__always)
    func write(_ p: inout UnsafeMutablePointer<UInt8>, _ e: FlowEvent) {
        let plan = MalformationPlan(e.malformation)
        let variant = e.malformation?.variant ?? 0
        var first = true
        @inline(__always) func key(_ field: FlowField, _ name: StaticString) -> Bool {
            if plan.missing == field { return false }
            ByteWriting.literal(&p, first ? "{\"" : ",\"")
            first = false
            ByteWriting.literal(&p, name)
            ByteWriting.literal(&p, "\":")
            return true
        }
        @inline(__always) func number(_ field: FlowField, _ value: Int64) {
            if plan.outOfRange == field {
                ByteWriting.signed(&p, plan.outOfRangeValue(field, variant: variant))
            } else if plan.wrongType == field {
                ByteWriting.byte(&p, UInt8(ascii: "\""))
                ByteWriting.signed(&p, value)
                ByteWriting.byte(&p, UInt8(ascii: "\""))
            } else {
                ByteWriting.signed(&p, value)
            }
        }
        @inline(__always) func address(_ field: FlowField, _ value: IPv4Address) {
            ByteWriting.byte(&p, UInt8(ascii: "\""))
            if plan.badIP == field { ByteWriting.literal(&p, plan.badIPText) } else { ByteWriting.ipv4(&p, value.value) }
            ByteWriting.byte(&p, UInt8(ascii: "\""))
        }

        if key(.timestamp, "timestamp") { number(.timestamp, e.timestamp) }
        if key(.eventID, "event_id") {
            ByteWriting.byte(&p, UInt8(ascii: "\""))
            ByteWriting.uuid(&p, high: e.eventID.high, low: e.eventID.low)
            ByteWriting.byte(&p, UInt8(ascii: "\""))
        }
        if key(.srcIP, "src_ip") { address(.srcIP, e.srcIP) }
        if key(.dstIP, "dst_ip") { address(.dstIP, e.dstIP) }
        if key(.srcPort, "src_port") { number(.srcPort, Int64(e.srcPort)) }
        if key(.dstPort, "dst_port") { number(.dstPort, Int64(e.dstPort)) }
        if key(.transport, "protocol") {
            if plan.wrongType == .transport {
                ByteWriting.unsigned(&p, UInt64(e.transport.rawValue))
            } else {
                ByteWriting.byte(&p, UInt8(ascii: "\""))
                ByteWriting.literal(&p, e.transport.staticName)
                ByteWriting.byte(&p, UInt8(ascii: "\""))
            }
        }
        if key(.bytesSent, "bytes_sent") { number(.bytesSent, e.bytesSent) }
        if key(.bytesReceived, "bytes_received") { number(.bytesReceived, e.bytesReceived) }
        if key(.latencyMs, "latency_ms") { number(.latencyMs, Int64(e.latencyMs)) }
        if key(.packetsSent, "packets_sent") { number(.packetsSent, Int64(e.packetsSent)) }
        if key(.flags, "flags") {
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
        if key(.appLayer, "app_layer") {
            ByteWriting.literal(&p, "{\"protocol\":\"")
            ByteWriting.literal(&p, e.appProtocol.staticName)
            ByteWriting.literal(&p, "\",\"method\":\"")
            ByteWriting.literal(&p, e.appMethod.staticName)
            ByteWriting.literal(&p, "\",\"host\":\"")
            tables.writeHost(&p, e)
            ByteWriting.literal(&p, "\",\"status_code\":")
            ByteWriting.signed(&p, Int64(e.statusCode))
            ByteWriting.byte(&p, UInt8(ascii: "}"))
        }
        if key(.tags, "tags") {
            ByteWriting.literal(&p, "{\"env\":\"")
            tables.environments.write(&p, Int(e.environment))
            ByteWriting.literal(&p, "\",\"region\":\"")
            tables.regions.write(&p, Int(e.region))
            ByteWriting.literal(&p, "\",\"security_group\":\"sg-")
            ByteWriting.zeroPadded(&p, e.securityGroup, width: 6)
            ByteWriting.literal(&p, "\"}")
        }
        ByteWriting.literal(&p, first ? "{\"label\":\"" : ",\"label\":\"")
        ByteWriting.literal(&p, e.anomalies.primaryLabel.staticName)
        ByteWriting.literal(&p, "\",\"anomalies\":[")
        WireNames.anomalies(&p, e.anomalies, quote: true, separator: UInt8(ascii: ","))
        ByteWriting.byte(&p, UInt8(ascii: "]"))
        if let malformation = e.malformation {
            ByteWriting.literal(&p, ",\"malformed_kind\":\"")
            ByteWriting.literal(&p, malformation.kind.staticName)
            ByteWriting.byte(&p, UInt8(ascii: "\""))
        }
        ByteWriting.literal(&p, ",\"generator_id\":\"")
        tables.generatorID.write(&p, 0)
        ByteWriting.literal(&p, "\",\"seq\":")
        ByteWriting.signed(&p, e.seq)
        ByteWriting.literal(&p, "}\n")
    }
}
