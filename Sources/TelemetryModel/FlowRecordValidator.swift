/// Validates one flow record (one JSON object, as UTF-8 bytes) strictly and fast, without
/// Foundation and without allocating on the valid path.
///
/// The record must be an RFC 8259 JSON object holding every field of the Go producer
/// (`timestamp`, `event_id`, `src_ip`, `dst_ip`, `src_port`, `dst_port`, `protocol`,
/// `bytes_sent`, `bytes_received`, `latency_ms`, `packets_sent`, `flags`, `app_layer`, `tags`) and
/// may hold the generator's `packets_received`, `start_ms`, `end_ms`, `session_id`, `label`,
/// `anomalies`, `malformed_kind`, `incident_id`, `technique` (a string or null), `stage`,
/// `generator_id` and `seq` (and `tags.vpc_id`, `tags.account_id`);
/// nothing else. Keys may come in any order; whitespace may surround every token, and a trailing
/// newline is fine.
///
/// The record is read once, front to back, and the first problem met is reported, so when several
/// things are wrong the reported one is the earliest in the record. A value is judged as a whole:
/// its JSON syntax is checked before its type, range or name, and fields that are missing are
/// reported at the `}` of their object (the first in the order above).
public struct FlowRecordValidator: Sendable {
    /// Records longer than this are rejected as `too_large` before they are read.
    public let maxRecordBytes: Int

    /// The largest `timestamp`: 9999-12-31T23:59:59Z.
    public static var maxTimestamp: Int64 { 253_402_300_799 }

    public init(maxRecordBytes: Int = 1 << 20) {
        self.maxRecordBytes = maxRecordBytes
    }

    /// Validates one record; on success returns the values a sink routes by.
    public func validate(_ record: UnsafeRawBufferPointer) -> Result<ValidFlowRecord, FlowRecordError> {
        do throws(JSONScanFailure) {
            return .success(try check(record))
        } catch {
            return .failure(FlowRecordError(error, record: record))
        }
    }

    /// Validates one record held in an array.
    public func validate(_ record: [UInt8]) -> Result<ValidFlowRecord, FlowRecordError> {
        record.withUnsafeBytes { validate($0) }
    }

    // MARK: - Record

    private func check(_ record: UnsafeRawBufferPointer) throws(JSONScanFailure) -> ValidFlowRecord {
        guard record.count <= maxRecordBytes else {
            throw JSONScanFailure(problem: .recordTooLarge(limit: maxRecordBytes), start: 0, end: 0, path: .record)
        }
        guard let base = record.baseAddress, !record.isEmpty else {
            throw JSONScanFailure(problem: .emptyRecord, start: 0, end: 0, path: .record)
        }
        var s = JSONByteScanner(base: base, count: record.count)
        s.skipWhitespace()
        guard !s.atEnd else { throw s.failure(.emptyRecord, at: 0) }
        guard s.current == UInt8(ascii: "{") else {
            let start = s.position
            let kind = try s.kindOfValue()
            try s.skipValue(depth: 0)
            throw s.failure(.notObject(kind), at: start, to: s.position)
        }
        var out = ValidFlowRecord()
        try Self.topLevel(&s, into: &out)
        s.skipWhitespace()
        guard s.atEnd else { throw s.failure(.trailingBytes, at: s.position) }
        return out
    }

    private static func topLevel(_ s: inout JSONByteScanner, into out: inout ValidFlowRecord) throws(JSONScanFailure) {
        s.position += 1
        var seen: UInt64 = 0
        var next = try member(&s, of: .record, first: true, expecting: .timestamp, seen: &seen)
        while let field = next {
            switch field {
            case .timestamp:
                out.timestamp = try integer(&s, 0...maxTimestamp)
            case .eventID:
                let id = try string(&s, 1...128)
                out.eventIDRange = id.start..<id.end
                out.eventIDHasEscapes = id.hasEscapes
            case .srcIP, .dstIP:
                try ipv4(&s)
            case .packetsReceived:
                _ = try integer(&s, 0...Int64.max)
            case .startMs:
                out.startMs = try integer(&s, 0...(maxTimestamp * 1_000 + 999))
            case .endMs:
                out.endMs = try integer(&s, 0...(maxTimestamp * 1_000 + 999))
            case .sessionID:
                out.sessionID = try integer(&s, 0...Int64.max)
            case .srcPort, .dstPort:
                _ = try integer(&s, 0...65_535)
            case .transport:
                try transport(&s)
            case .bytesSent, .bytesReceived, .latencyMs, .packetsSent:
                _ = try integer(&s, 0...Int64.max)
            case .flags:
                try flags(&s)
            case .appLayer:
                try appLayer(&s)
            case .tags:
                try tags(&s)
            case .label:
                out.label = try label(&s)
            case .anomalies:
                out.anomalies = try anomalies(&s)
            case .malformedKind:
                out.malformedKind = try malformedKind(&s)
            case .incidentID:
                try incidentID(&s)
            case .technique:
                if s.current == UInt8(ascii: "n") {
                    try s.scanLiteral("null")
                } else {
                    try name(&s, .technique) { p, n in IncidentFamily.allCases.contains { $0.technique.map { JSONByteScanner.equals(p, n, $0) } ?? false } }
                }
            case .stage:
                try name(&s, .stage) { p, n in IncidentFamily.allCases.dropFirst().contains { JSONByteScanner.equals(p, n, $0.stage) } }
            case .generatorID:
                let id = try string(&s, 1...64)
                out.generatorIDRange = id.start..<id.end
                out.generatorIDHasEscapes = id.hasEscapes
            case .seq:
                out.seq = try integer(&s, 0...Int64.max)
            case .appProtocol, .method, .host, .statusCode, .env, .region, .securityGroup, .vpcID, .accountID:
                break  // never matched at the top level
            }
            s.path = .record
            next = try member(&s, of: .record, first: false, expecting: field.successor, seen: &seen)
        }
        try requireAll(&s, seen, of: .record)
    }

    // MARK: - Objects

    private static func appLayer(_ s: inout JSONByteScanner) throws(JSONScanFailure) {
        guard s.current == UInt8(ascii: "{") else { throw try s.wrongType(expected: .object) }
        s.position += 1
        var seen: UInt64 = 0
        var next = try member(&s, of: .appLayer, first: true, expecting: .appProtocol, seen: &seen)
        while let field = next {
            switch field {
            case .appProtocol: _ = try string(&s, 1...Int.max)
            case .statusCode: _ = try integer(&s, 0...999)
            default: _ = try string(&s, 0...Int.max)  // method, host
            }
            s.path = FlowObject.appLayer.path
            next = try member(&s, of: .appLayer, first: false, expecting: field.successor, seen: &seen)
        }
        try requireAll(&s, seen, of: .appLayer)
    }

    private static func tags(_ s: inout JSONByteScanner) throws(JSONScanFailure) {
        guard s.current == UInt8(ascii: "{") else { throw try s.wrongType(expected: .object) }
        s.position += 1
        var seen: UInt64 = 0
        var next = try member(&s, of: .tags, first: true, expecting: .env, seen: &seen)
        while let field = next {
            _ = try string(&s, 0...Int.max)  // env, region, security_group
            s.path = FlowObject.tags.path
            next = try member(&s, of: .tags, first: false, expecting: field.successor, seen: &seen)
        }
        try requireAll(&s, seen, of: .tags)
    }

    /// Reads the next member's key (after `{` when `first`, else after a value): checks it is
    /// known and new, consumes the colon and points the path at the member. `nil` at the `}`.
    ///
    /// `expected` is the key that usually comes next; when the bytes spell exactly it, the key is
    /// taken without scanning and matching it as a string.
    @inline(__always)
    private static func member(
        _ s: inout JSONByteScanner, of object: FlowObject, first: Bool, expecting expected: FlowKey, seen: inout UInt64
    ) throws(JSONScanFailure) -> FlowKey? {
        var b = try s.peekToken()
        if b == UInt8(ascii: "}") {
            s.position += 1
            return nil
        }
        if !first {
            guard b == UInt8(ascii: ",") else { throw s.unexpected() }
            s.position += 1
            b = try s.peekToken()
        }
        guard b == UInt8(ascii: "\"") else { throw s.unexpected() }
        let field: FlowKey
        let token: JSONStringToken
        if let predicted = s.scanKey(expected.name) {
            token = predicted
            field = expected
        } else {
            token = try s.scanString()
            guard let known = s.matchShort(token, { p, n in object.key(at: p, count: n) }) else {
                throw s.failure(.unknownField(token), at: token.start - 1, to: token.end + 1)
            }
            field = known
        }
        let bit = UInt64(1) << field.rawValue
        s.path = FlowFieldPath(container: object.key, key: field)
        guard seen & bit == 0 else { throw s.failure(.duplicateKey, at: token.start - 1, to: token.end + 1) }
        seen |= bit
        try s.colon()
        return field
    }

    /// After an object's `}`: every required key was seen, or the first missing one is reported.
    @inline(__always)
    private static func requireAll(_ s: inout JSONByteScanner, _ seen: UInt64, of object: FlowObject) throws(JSONScanFailure) {
        let missing = object.required & ~seen
        guard missing != 0 else { return }
        let field = FlowKey(rawValue: UInt8(missing.trailingZeroBitCount)) ?? .timestamp
        s.path = FlowFieldPath(container: object.key, key: field)
        throw s.failure(.missing, at: s.position - 1)
    }

    // MARK: - Arrays

    private static func flags(_ s: inout JSONByteScanner) throws(JSONScanFailure) {
        guard s.current == UInt8(ascii: "[") else { throw try s.wrongType(expected: .array) }
        s.position += 1
        guard try s.firstElement() else { return }
        var seen: UInt8 = 0
        var index: Int32 = 0
        repeat {
            s.path = FlowFieldPath(key: .flags, index: index)
            let start = s.position
            let name = try string(&s, 0...Int.max)
            guard let flag = s.matchShort(name, tcpFlag) else {
                throw s.failure(.unknownValue(.tcpFlag), at: start, to: s.position)
            }
            guard seen & flag.rawValue == 0 else { throw s.failure(.repeatedName, at: start, to: s.position) }
            seen |= flag.rawValue
            index += 1
            s.path = FlowFieldPath(key: .flags)
        } while try s.nextElement()
    }

    private static func anomalies(_ s: inout JSONByteScanner) throws(JSONScanFailure) -> AnomalySet {
        guard s.current == UInt8(ascii: "[") else { throw try s.wrongType(expected: .array) }
        s.position += 1
        guard try s.firstElement() else { return AnomalySet(rawValue: 0) }
        var seen: UInt32 = 0
        var index: Int32 = 0
        repeat {
            s.path = FlowFieldPath(key: .anomalies, index: index)
            let start = s.position
            let label = try label(&s)
            let bit: UInt32 = 1 << label.rawValue
            guard seen & bit == 0 else { throw s.failure(.repeatedName, at: start, to: s.position) }
            seen |= bit
            index += 1
            s.path = FlowFieldPath(key: .anomalies)
        } while try s.nextElement()
        // AnomalySet keeps a label at the same bit; `normal` is no anomaly.
        return AnomalySet(rawValue: seen & ~1)
    }

    // MARK: - Scalars

    @inline(__always)
    private static func integer(_ s: inout JSONByteScanner, _ range: ClosedRange<Int64>) throws(JSONScanFailure) -> Int64 {
        let start = s.position
        let b = s.current
        guard b == UInt8(ascii: "-") || JSONByteScanner.isDigit(b) else { throw try s.wrongType(expected: .integer) }
        let number = try s.scanNumber()
        guard number.isInteger else { throw s.failure(.notInteger, at: start, to: s.position) }
        guard let value = number.int64 else { throw s.failure(.doesNotFitInt64, at: start, to: s.position) }
        guard range.contains(value) else { throw s.failure(.outOfRange(range), at: start, to: s.position) }
        return value
    }

    /// A string whose decoded length (UTF-8 bytes) is in `lengths`.
    @inline(__always)
    private static func string(_ s: inout JSONByteScanner, _ lengths: ClosedRange<Int>) throws(JSONScanFailure) -> JSONStringToken {
        guard s.current == UInt8(ascii: "\"") else { throw try s.wrongType(expected: .string) }
        let start = s.position
        let token = try s.scanString()
        guard lengths.contains(token.decodedCount) else {
            throw s.failure(.lengthOutOfRange(lengths, actual: token.decodedCount), at: start, to: s.position)
        }
        return token
    }

    @inline(__always)
    private static func ipv4(_ s: inout JSONByteScanner) throws(JSONScanFailure) {
        let start = s.position
        let text = try string(&s, 0...Int.max)
        guard s.matchShort(text, { p, n in isIPv4(p, n) ? true : nil }) ?? false else {
            throw s.failure(.badIP, at: start, to: s.position)
        }
    }

    @inline(__always)
    private static func transport(_ s: inout JSONByteScanner) throws(JSONScanFailure) {
        let start = s.position
        let name = try string(&s, 0...Int.max)
        let known = s.matchShort(name) { p, n -> Bool? in
            JSONByteScanner.equals(p, n, TransportProtocol.tcp.staticName)
                || JSONByteScanner.equals(p, n, TransportProtocol.udp.staticName)
                || JSONByteScanner.equals(p, n, TransportProtocol.icmp.staticName) ? true : nil
        }
        guard known != nil else { throw s.failure(.unknownValue(.transportProtocol), at: start, to: s.position) }
    }

    @inline(__always)
    private static func label(_ s: inout JSONByteScanner) throws(JSONScanFailure) -> AnomalyLabel {
        let start = s.position
        let name = try string(&s, 0...Int.max)
        guard let label = s.matchShort(name, anomalyLabel) else {
            throw s.failure(.unknownValue(.anomalyLabel), at: start, to: s.position)
        }
        return label
    }

    /// `inc-` and 16 lower-case hex digits whose first byte is a family's.
    private static func incidentID(_ s: inout JSONByteScanner) throws(JSONScanFailure) {
        let start = s.position
        let text = try string(&s, 0...Int.max)
        let valid = s.matchShort(text) { p, n -> Bool? in
            guard n == IncidentID.textLength, JSONByteScanner.equals(p, 4, "inc-") else { return nil }
            var value: UInt64 = 0
            for i in 4..<n {
                let b = p.load(fromByteOffset: i, as: UInt8.self)
                let digit: UInt8
                switch b {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
                default: return nil
                }
                value = value << 4 | UInt64(digit)
            }
            return IncidentID(rawValue: value).family == .none ? nil : true
        }
        guard valid != nil else { throw s.failure(.unknownValue(.incidentID), at: start, to: s.position) }
    }

    /// A string that `known` accepts.
    @inline(__always)
    private static func name(_ s: inout JSONByteScanner, _ vocabulary: FlowVocabularyKind, _ known: (UnsafeRawPointer, Int) -> Bool) throws(JSONScanFailure) {
        let start = s.position
        let text = try string(&s, 0...Int.max)
        guard s.matchShort(text, { p, n in known(p, n) ? true : nil }) != nil else {
            throw s.failure(.unknownValue(vocabulary), at: start, to: s.position)
        }
    }

    private static func malformedKind(_ s: inout JSONByteScanner) throws(JSONScanFailure) -> MalformedKind {
        let start = s.position
        let name = try string(&s, 0...Int.max)
        let kind = s.matchShort(name) { p, n -> MalformedKind? in
            @inline(__always) func eq(_ kind: MalformedKind) -> Bool { JSONByteScanner.equals(p, n, kind.staticName) }
            return eq(.truncated) ? .truncated : eq(.wrongType) ? .wrongType : eq(.missingField) ? .missingField
                : eq(.outOfRange) ? .outOfRange : eq(.badIP) ? .badIP : nil
        }
        guard let kind else { throw s.failure(.unknownValue(.malformedKind), at: start, to: s.position) }
        return kind
    }

    // MARK: - Names

    /// Strict dotted quad: four decimal parts 0-255, no leading zeros, nothing else.
    static func isIPv4(_ p: UnsafeRawPointer, _ count: Int) -> Bool {
        guard (7...15).contains(count) else { return false }
        var dots = 0
        var part = 0
        var digits = 0
        for i in 0..<count {
            let b = p.load(fromByteOffset: i, as: UInt8.self)
            if JSONByteScanner.isDigit(b) {
                if digits == 1 && part == 0 { return false }
                part = part * 10 + Int(b &- UInt8(ascii: "0"))
                digits += 1
                if part > 255 { return false }
            } else if b == UInt8(ascii: ".") {
                guard digits > 0, dots < 3 else { return false }
                dots += 1
                part = 0
                digits = 0
            } else {
                return false
            }
        }
        return digits > 0 && dots == 3
    }

    @inline(__always)
    static func tcpFlag(_ p: UnsafeRawPointer, _ count: Int) -> TCPFlags? {
        guard count == 3 else { return nil }
        let word = UInt32(p.load(as: UInt8.self)) | UInt32(p.load(fromByteOffset: 1, as: UInt8.self)) << 8
            | UInt32(p.load(fromByteOffset: 2, as: UInt8.self)) << 16
        @inline(__always) func code(_ name: StaticString) -> UInt32 {
            let q = UnsafeRawPointer(name.utf8Start)
            return UInt32(q.load(as: UInt8.self)) | UInt32(q.load(fromByteOffset: 1, as: UInt8.self)) << 8
                | UInt32(q.load(fromByteOffset: 2, as: UInt8.self)) << 16
        }
        switch word {
        case code("SYN"): return .syn
        case code("ACK"): return .ack
        case code("PSH"): return .psh
        case code("RST"): return .rst
        case code("FIN"): return .fin
        case code("URG"): return .urg
        default: return nil
        }
    }

    @inline(__always)
    static func anomalyLabel(_ p: UnsafeRawPointer, _ count: Int) -> AnomalyLabel? {
        @inline(__always) func eq(_ label: AnomalyLabel) -> Bool { JSONByteScanner.equals(p, count, label.staticName) }
        if eq(.normal) { return .normal }
        if eq(.latencySpike) { return .latencySpike }
        if eq(.connectionReset) { return .connectionReset }
        if eq(.exfiltration) { return .exfiltration }
        if eq(.portScan) { return .portScan }
        if eq(.beaconing) { return .beaconing }
        if eq(.bruteForce) { return .bruteForce }
        if eq(.ddos) { return .ddos }
        if eq(.lateralMovement) { return .lateralMovement }
        if eq(.malformed) { return .malformed }
        return nil
    }
}

// MARK: - Keys and paths

/// Every key a flow record may hold. Raw values are bit positions in an object's set of seen
/// keys; within an object they follow the documented field order, which decides which missing
/// field is reported first.
enum FlowKey: UInt8, Sendable, CaseIterable {
    case timestamp, eventID, srcIP, dstIP, srcPort, dstPort, transport, bytesSent, bytesReceived
    case latencyMs, packetsSent, flags, appLayer, tags
    case packetsReceived, startMs, endMs, sessionID
    case label, anomalies, malformedKind, incidentID, technique, stage, generatorID, seq
    case appProtocol, method, host, statusCode
    case env, region, securityGroup, vpcID, accountID

    /// The key our encoder writes after this one, guessed first when the next key is read.
    @inline(__always)
    var successor: FlowKey {
        switch self {
        case .anomalies, .malformedKind, .stage: .generatorID
        case .seq, .statusCode, .accountID: self
        default: FlowKey(rawValue: rawValue + 1) ?? self
        }
    }

    @inline(__always)
    var name: StaticString {
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
}

/// The three kinds of object in a flow record.
enum FlowObject {
    case record, appLayer, tags

    /// The key holding the object (`nil` for the record itself).
    var key: FlowKey? {
        switch self {
        case .record: nil
        case .appLayer: .appLayer
        case .tags: .tags
        }
    }

    var path: FlowFieldPath { FlowFieldPath(key: key) }

    /// The keys that must be present, as bits.
    var required: UInt64 {
        switch self {
        case .record: (1 << (UInt64(FlowKey.tags.rawValue) + 1)) - 1
        case .appLayer:
            1 << FlowKey.appProtocol.rawValue | 1 << FlowKey.method.rawValue | 1 << FlowKey.host.rawValue
                | 1 << FlowKey.statusCode.rawValue
        case .tags: 1 << FlowKey.env.rawValue | 1 << FlowKey.region.rawValue | 1 << FlowKey.securityGroup.rawValue
        }
    }

    /// The key named by `count` bytes at `p`, if this object may hold it.
    @inline(__always)
    func key(at p: UnsafeRawPointer, count: Int) -> FlowKey? {
        @inline(__always) func eq(_ key: FlowKey) -> Bool { JSONByteScanner.equals(p, count, key.name) }
        switch self {
        case .record:
            switch count {
            case 3: return eq(.seq) ? .seq : nil
            case 4: return eq(.tags) ? .tags : nil
            case 5: return eq(.flags) ? .flags : eq(.label) ? .label : eq(.stage) ? .stage : nil
            case 6: return eq(.srcIP) ? .srcIP : eq(.dstIP) ? .dstIP : eq(.endMs) ? .endMs : nil
            case 8:
                return eq(.eventID) ? .eventID : eq(.srcPort) ? .srcPort : eq(.dstPort) ? .dstPort
                    : eq(.transport) ? .transport : eq(.startMs) ? .startMs : nil
            case 9: return eq(.timestamp) ? .timestamp : eq(.appLayer) ? .appLayer : eq(.anomalies) ? .anomalies : eq(.technique) ? .technique : nil
            case 11: return eq(.incidentID) ? .incidentID : nil
            case 10: return eq(.bytesSent) ? .bytesSent : eq(.latencyMs) ? .latencyMs : eq(.sessionID) ? .sessionID : nil
            case 12: return eq(.packetsSent) ? .packetsSent : eq(.generatorID) ? .generatorID : nil
            case 14: return eq(.bytesReceived) ? .bytesReceived : eq(.malformedKind) ? .malformedKind : nil
            case 16: return eq(.packetsReceived) ? .packetsReceived : nil
            default: return nil
            }
        case .appLayer:
            return eq(.appProtocol) ? .appProtocol : eq(.method) ? .method : eq(.host) ? .host
                : eq(.statusCode) ? .statusCode : nil
        case .tags:
            return eq(.env) ? .env : eq(.region) ? .region : eq(.securityGroup) ? .securityGroup
                : eq(.vpcID) ? .vpcID : eq(.accountID) ? .accountID : nil
        }
    }
}

/// Where in the record a failure is: `key`, `container.key`, or `key[index]`.
struct FlowFieldPath: Sendable {
    var container: FlowKey?
    var key: FlowKey?
    var index: Int32

    init(container: FlowKey? = nil, key: FlowKey? = nil, index: Int32 = -1) {
        self.container = container
        self.key = key
        self.index = index
    }

    static var record: FlowFieldPath { FlowFieldPath() }

    /// `app_layer.status_code`, `flags[2]`, or empty for the whole record.
    var text: String {
        var text = container.map { $0.name.description } ?? ""
        if let key { text += text.isEmpty ? key.name.description : "." + key.name.description }
        if index >= 0 { text += "[\(index)]" }
        return text
    }
}
