import TelemetryModel

/// Writes flow events as a Parquet file with the JSON record's shape: nested `app_layer` and
/// `tags` groups, `flags` and `anomalies` as lists of strings, `timestamp` as a UTC timestamp in
/// milliseconds (the record's end, to the millisecond), `start_ms` and `end_ms` as numbers;
/// enum-like columns dictionary-encoded. Used by one thread at a time (it spreads
/// columns over threads itself).
///
/// Parquet is typed, so malformed records keep what a typed column can hold: a missing field or a
/// value of the wrong type is null, an out-of-range number and a bad address text are written as
/// they are, and a truncated record is whole. `malformed_kind` says which records were broken.
public final class FlowParquetEncoder: Sendable {
    /// The schema with the ground truth (``FlowRecordField/parquetSchema(labels:everyFieldOptional:)``).
    public static let schema = FlowRecordField.parquetSchema()

    /// The schema with or without the ground truth.
    public static func schema(labels: Bool) -> ParquetSchema { labels ? schema : FlowRecordField.parquetSchema(labels: false) }

    public let writer: ParquetFileWriter
    private let vocabulary: FlowVocabulary
    private let c: [ParquetColumnWriter]
    /// The field each written column holds.
    private let fields: [FlowRecordField]
    /// Tag values per identity (the last entry: hosts outside every VPC), and each host's entry.
    private let tagValues: [[String]]
    private let tagOfHost: [Int]

    public init(vocabulary: FlowVocabulary, options: ParquetWriterOptions, labels: Bool = true) {
        self.vocabulary = vocabulary
        tagValues = vocabulary.identities.map { VocabularyTables.tagValues($0) } + [VocabularyTables.tagValues(nil)]
        tagOfHost = vocabulary.hosts.map { $0.identity ?? vocabulary.identities.count }
        writer = ParquetFileWriter(schema: Self.schema(labels: labels), options: options)
        c = writer.columns
        fields = FlowRecordField.leaves.filter { labels || !$0.isGroundTruth }
        precondition(fields.count == c.count, "the flow schema has \(c.count) columns for \(fields.count) fields")
    }

    /// Appends `count` events; full row groups are written to `out`. Column by column: each
    /// column's loop runs on its own buffers, and the columns are spread over threads.
    public func append(_ events: UnsafePointer<FlowEvent>, count: Int, into out: inout WriteBuffer) {
        writer.append(events, count: count, into: &out) { encodeColumn($0, $1) }
    }

    /// Writes the last row group and the footer.
    public func finish(into out: inout WriteBuffer) { writer.finish(into: &out) }

    // MARK: - Columns

    private func encodeColumn(_ index: Int, _ events: UnsafeBufferPointer<FlowEvent>) {
        let vocabulary = vocabulary
        let target = c[index]
        let field = fields[index]
        switch field {
        case .timestamp:
            integer(target, events, .timestamp) { $0.endMs }
        case .eventID:
            target.batch { s in
                for e in events {
                    guard MalformationPlan(e.malformation).missing != .eventID else { s.appendNull(); continue }
                    s.append(key: 0) { buffer in
                        buffer.reserve(36)
                        buffer.withWriter { p in
                            var q = p
                            ByteWriting.uuid(&q, high: e.eventID.high, low: e.eventID.low)
                            return q
                        }
                    }
                }
            }
        case .srcIP:
            address(target, events, .srcIP) { $0.srcIP }
        case .dstIP:
            address(target, events, .dstIP) { $0.dstIP }
        case .srcPort:
            integer32(target, events, .srcPort) { Int64($0.srcPort) }
        case .dstPort:
            integer32(target, events, .dstPort) { Int64($0.dstPort) }
        case .transport:
            target.batch { s in
                for e in events {
                    let plan = MalformationPlan(e.malformation)
                    if plan.missing == .transport || plan.wrongType == .transport {
                        s.appendNull()
                    } else {
                        s.append(key: UInt64(e.transport.rawValue)) { $0.append(e.transport.staticName) }
                    }
                }
            }
        case .bytesSent:
            integer(target, events, .bytesSent) { $0.bytesSent }
        case .bytesReceived:
            integer(target, events, .bytesReceived) { $0.bytesReceived }
        case .latencyMs:
            integer32(target, events, .latencyMs) { Int64($0.latencyMs) }
        case .packetsSent:
            integer32(target, events, .packetsSent) { Int64($0.packetsSent) }
        case .flags:
            target.batch { s in
                for e in events {
                    let plan = MalformationPlan(e.malformation)
                    if plan.missing == .flags || plan.wrongType == .flags {
                        s.appendNull(definition: 0)
                    } else if e.flags.isEmpty {
                        s.appendNull(definition: 1)
                    } else {
                        var repetition: UInt8 = 0
                        for (flag, name) in TCPFlags.writeOrder where e.flags.contains(flag) {
                            s.append(key: UInt64(flag.rawValue), repetition: repetition) { $0.append(name) }
                            repetition = 1
                        }
                    }
                }
            }
        case .appProtocol:
            groupMember(target, events, .appLayer) { s, e in s.append(key: UInt64(e.appProtocol.rawValue)) { $0.append(e.appProtocol.staticName) } }
        case .method:
            groupMember(target, events, .appLayer) { s, e in s.append(key: UInt64(e.appMethod.rawValue)) { $0.append(e.appMethod.staticName) } }
        case .host:
            groupMember(target, events, .appLayer) { s, e in
                s.append(key: e.queryName.dictionaryKey(e)) { $0.append(vocabulary.hostName(of: e)) }
            }
        case .statusCode:
            groupMember(target, events, .appLayer) { s, e in s.append(Int32(e.statusCode)) }
        case .env, .region, .securityGroup, .vpcID, .accountID:
            let member = Int(field.rawValue - FlowRecordField.env.rawValue)
            let tagValues = tagValues, tagOfHost = tagOfHost
            groupMember(target, events, .tags) { s, e in
                let tag = tagOfHost[vocabulary.observer(of: e)]
                s.append(key: UInt64(tag)) { $0.append(tagValues[tag][member]) }
            }
        case .packetsReceived: target.batch { s in for e in events { s.append(e.packetsReceived) } }
        case .startMs: target.batch { s in for e in events { s.append(e.startMs) } }
        case .endMs: target.batch { s in for e in events { s.append(e.endMs) } }
        case .sessionID: target.batch { s in for e in events { s.append(e.sessionID) } }
        case .label:
            target.batch { s in
                for e in events {
                    let label = e.anomalies.primaryLabel
                    s.append(key: UInt64(label.rawValue)) { $0.append(label.staticName) }
                }
            }
        case .anomalies:
            target.batch { s in
                for e in events { s.appendAnomalies(e.anomalies) }
            }
        case .malformedKind:
            target.batch { s in
                for e in events {
                    if let malformation = e.malformation {
                        s.append(key: UInt64(malformation.kind.rawValue)) { $0.append(malformation.kind.staticName) }
                    } else {
                        s.appendNull()
                    }
                }
            }
        case .generatorID:
            target.batch { s in
                for _ in events { s.append(key: 0) { $0.append(vocabulary.generatorID) } }
            }
        case .seq:
            target.batch { s in
                for e in events { s.append(e.seq) }
            }
        case .incidentID:
            target.batch { s in
                for e in events {
                    if e.incident.isNone {
                        s.appendNull()
                    } else {
                        s.append(key: e.incident.rawValue) { $0.append(e.incident.text) }
                    }
                }
            }
        case .technique:
            target.batch { s in
                for e in events {
                    if let technique = e.incident.family.technique, !e.incident.isNone {
                        s.append(key: UInt64(e.incident.family.rawValue)) { $0.append(technique) }
                    } else {
                        s.appendNull()
                    }
                }
            }
        case .stage:
            target.batch { s in
                for e in events {
                    if e.incident.isNone {
                        s.appendNull()
                    } else {
                        s.append(key: UInt64(e.incident.family.rawValue)) { $0.append(e.incident.family.stage) }
                    }
                }
            }
        case .appLayer, .tags:
            preconditionFailure("\(field) is a group, not a column")
        }
    }

    /// The value a number field holds in a typed column: null when missing or of the wrong type,
    /// the out-of-range value when the record was broken that way.
    @inline(__always)
    private static func number(_ e: FlowEvent, _ field: FlowRecordField, _ value: Int64) -> Int64? {
        guard let malformation = e.malformation else { return value }
        let plan = MalformationPlan(malformation)
        if plan.missing == field || plan.wrongType == field { return nil }
        return plan.outOfRange == field ? plan.outOfRangeValue(field, variant: malformation.variant) : value
    }

    @inline(__always)
    private func integer(_ column: ParquetColumnWriter, _ events: UnsafeBufferPointer<FlowEvent>, _ field: FlowRecordField, _ value: (FlowEvent) -> Int64) {
        column.batch { s in
            for e in events {
                if let v = Self.number(e, field, value(e)) { s.append(v) } else { s.appendNull() }
            }
        }
    }

    @inline(__always)
    private func integer32(_ column: ParquetColumnWriter, _ events: UnsafeBufferPointer<FlowEvent>, _ field: FlowRecordField, _ value: (FlowEvent) -> Int64) {
        column.batch { s in
            for e in events {
                if let v = Self.number(e, field, value(e)) { s.append(Int32(truncatingIfNeeded: v)) } else { s.appendNull() }
            }
        }
    }

    /// A member of the `app_layer` or `tags` group: null when the group is missing.
    @inline(__always)
    private func groupMember(_ column: ParquetColumnWriter, _ events: UnsafeBufferPointer<FlowEvent>, _ group: FlowRecordField, _ write: (inout ParquetColumnState, FlowEvent) -> Void) {
        column.batch { s in
            for e in events {
                if e.malformation != nil && MalformationPlan(e.malformation).missing == group { s.appendNull() } else { write(&s, e) }
            }
        }
    }

    @inline(__always)
    private func address(_ column: ParquetColumnWriter, _ events: UnsafeBufferPointer<FlowEvent>, _ field: FlowRecordField, _ value: (FlowEvent) -> IPv4Address) {
        column.batch { s in
            for e in events {
                if let malformation = e.malformation {
                    let plan = MalformationPlan(malformation)
                    if plan.missing == field {
                        s.appendNull()
                        continue
                    }
                    if plan.badIP == field {
                        // Keys above 32 bits never meet an address's key.
                        let text = plan.badIPText
                        s.append(key: 1 << 40 | UInt64(Int(malformation.variant) % MalformationPlan.badIPTexts.count)) { $0.append(text) }
                        continue
                    }
                }
                let address = value(e).value
                s.append(key: UInt64(address)) { buffer in
                    buffer.reserve(15)
                    buffer.withWriter { p in
                        var q = p
                        ByteWriting.ipv4(&q, address)
                        return q
                    }
                }
            }
        }
    }
}

extension WriteBuffer {
    @inline(__always)
    mutating func append(_ text: StaticString) {
        append(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }
}
