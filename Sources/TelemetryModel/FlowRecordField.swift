/// Every field a flow record may hold, declared once: its key, the object that holds it, the
/// value it takes, whether it must be there and whether it is ground truth. The validator's keys,
/// ranges and required sets, the JSON encoder's keys, the CSV columns, both Parquet schemas and
/// the sink's Parquet columns all come from here.
///
/// Raw values follow the record's order (the Go producer's fields, then the generator's, then the
/// members of `app_layer` and `tags`); they are bit positions in the validator's set of seen keys
/// and decide which missing field is reported first.
public enum FlowRecordField: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case timestamp, eventID, srcIP, dstIP, srcPort, dstPort, transport, bytesSent, bytesReceived
    case latencyMs, packetsSent, flags, appLayer, tags
    case packetsReceived, startMs, endMs, sessionID
    case label, anomalies, malformedKind, incidentID, technique, stage, generatorID, seq
    case appProtocol, method, host, statusCode
    case env, region, securityGroup, vpcID, accountID

    /// What a field's value is.
    public enum Value: Sendable, Equatable {
        /// An integer in the range (a 32-bit column when the range fits in Int32).
        case integer(ClosedRange<Int64>)
        /// Unix seconds, 0 through 9999-12-31T23:59:59Z; columns hold the record's end
        /// (`end_ms`) as a UTC timestamp in milliseconds.
        case seconds
        /// A string whose decoded length (UTF-8 bytes) is in the range.
        case text(ClosedRange<Int>)
        /// A dotted-quad IPv4 address.
        case address
        /// One name of a vocabulary (`null` too, when `nullable`).
        case name(FlowVocabularyKind, nullable: Bool)
        /// A list of distinct names of a vocabulary.
        case names(FlowVocabularyKind)
        /// An object of the fields whose ``FlowRecordField/container`` this is.
        case object
    }

    /// When a field is in a record.
    public enum Presence: Sendable, Equatable {
        /// In every record (the Go producer's fields and the members of its objects).
        case required
        /// May be left out (the Go producer's records do not have it); the generator writes it on
        /// every record.
        case always
        /// May be left out; the generator writes it on some records only.
        case sometimes
    }

    /// The largest `timestamp`: 9999-12-31T23:59:59Z.
    public static var maxTimestamp: Int64 { 253_402_300_799 }

    /// The JSON key (within its object). Inlinable: the encoders write it as a constant.
    @inlinable
    public var name: StaticString {
        switch self {
        case .timestamp: "timestamp"
        case .eventID: "event_id"
        case .srcIP: "src_ip"
        case .dstIP: "dst_ip"
        case .srcPort: "src_port"
        case .dstPort: "dst_port"
        case .transport: "protocol"
        case .bytesSent: "bytes_sent"
        case .bytesReceived: "bytes_received"
        case .latencyMs: "latency_ms"
        case .packetsSent: "packets_sent"
        case .flags: "flags"
        case .appLayer: "app_layer"
        case .tags: "tags"
        case .packetsReceived: "packets_received"
        case .startMs: "start_ms"
        case .endMs: "end_ms"
        case .sessionID: "session_id"
        case .label: "label"
        case .anomalies: "anomalies"
        case .malformedKind: "malformed_kind"
        case .incidentID: "incident_id"
        case .technique: "technique"
        case .stage: "stage"
        case .generatorID: "generator_id"
        case .seq: "seq"
        case .appProtocol: "protocol"
        case .method: "method"
        case .host: "host"
        case .statusCode: "status_code"
        case .env: "env"
        case .region: "region"
        case .securityGroup: "security_group"
        case .vpcID: "vpc_id"
        case .accountID: "account_id"
        }
    }

    /// The JSON key as a `String`.
    public var key: String { name.description }

    /// The object field holding this one (`nil` for the record's own fields).
    @inline(__always)
    public var container: FlowRecordField? {
        switch self {
        case .appProtocol, .method, .host, .statusCode: .appLayer
        case .env, .region, .securityGroup, .vpcID, .accountID: .tags
        default: nil
        }
    }

    /// `key` for the record's fields, `container.key` for members: the CSV column's name.
    public var path: String { container.map { "\($0.key).\(key)" } ?? key }

    /// The value it takes.
    public var value: Value {
        switch self {
        case .timestamp: .seconds
        case .eventID: .text(1...128)
        case .srcIP, .dstIP: .address
        case .srcPort, .dstPort: .integer(0...65_535)
        case .transport: .name(.transportProtocol, nullable: false)
        case .bytesSent, .bytesReceived, .sessionID, .seq: .integer(0...Int64.max)
        case .latencyMs, .packetsSent, .packetsReceived: .integer(0...Int64(Int32.max))
        case .flags: .names(.tcpFlag)
        case .appLayer, .tags: .object
        case .startMs, .endMs: .integer(0...(Self.maxTimestamp * 1_000 + 999))
        case .label: .name(.anomalyLabel, nullable: false)
        case .anomalies: .names(.anomalyLabel)
        case .malformedKind: .name(.malformedKind, nullable: false)
        case .incidentID: .name(.incidentID, nullable: false)
        case .technique: .name(.technique, nullable: true)
        case .stage: .name(.stage, nullable: false)
        case .generatorID: .text(1...64)
        case .appProtocol: .text(1...Int.max)
        case .method, .host, .env, .region, .securityGroup, .vpcID, .accountID: .text(0...Int.max)
        case .statusCode: .integer(0...999)
        }
    }

    public var presence: Presence {
        switch self {
        case .timestamp, .eventID, .srcIP, .dstIP, .srcPort, .dstPort, .transport, .bytesSent, .bytesReceived,
            .latencyMs, .packetsSent, .flags, .appLayer, .tags, .appProtocol, .method, .host, .statusCode, .env, .region,
            .securityGroup:
            .required
        case .packetsReceived, .startMs, .endMs, .sessionID, .label, .anomalies, .generatorID, .seq: .always
        case .malformedKind, .incidentID, .technique, .stage, .vpcID, .accountID: .sometimes
        }
    }

    /// Ground truth: left out of records written without labels.
    public var isGroundTruth: Bool {
        switch self {
        case .label, .anomalies, .malformedKind, .incidentID, .technique, .stage: true
        default: false
        }
    }

    /// Few distinct values (addresses of a network, names, vocabularies): dictionary-encoded in
    /// columnar files.
    public var isCategorical: Bool {
        switch self {
        case .timestamp, .eventID, .srcPort, .bytesSent, .bytesReceived, .latencyMs, .packetsSent, .packetsReceived,
            .startMs, .endMs, .sessionID, .seq, .appLayer, .tags:
            false
        default: true
        }
    }

    /// An integer field whose values fit a 32-bit column.
    public var is32Bit: Bool {
        if case .integer(let range) = value { return range.upperBound <= Int64(Int32.max) }
        return false
    }

    public var description: String { path }

    /// The Go producer's fields, in its order: every record has them, and malformations break them.
    public static let producerFields: [FlowRecordField] = allCases.filter { $0.container == nil && $0.presence == .required }

    /// The record's own fields, in order.
    public static let recordFields: [FlowRecordField] = allCases.filter { $0.container == nil }

    /// The fields an object holds, in order.
    public func members() -> [FlowRecordField] { Self.allCases.filter { $0.container == self } }

    /// The fields that hold values, objects replaced by their members: the columns of CSV and
    /// Parquet, in order.
    public static let leaves: [FlowRecordField] = recordFields.flatMap { $0.value == .object ? $0.members() : [$0] }
}
