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

    public init(maxRecordBytes: Int = 1 << 20) {
        self.maxRecordBytes = maxRecordBytes
    }

    /// Validates one record; on success returns the values a sink routes by.
    public func validate(_ record: UnsafeRawBufferPointer) -> Result<ValidFlowRecord, FlowRecordError> {
        validate(record, spans: nil)
    }

    /// Validates one record and, when it is valid, stores where each field's value lies in it
    /// (``FlowSpan``, at the field's raw value; `spans` holds ``FlowRecordField/allCases``.count).
    /// A reader then takes the values with ``FlowRecordValues`` without parsing the record again.
    public func validate(_ record: UnsafeRawBufferPointer, spans: UnsafeMutablePointer<FlowSpan>?) -> Result<ValidFlowRecord, FlowRecordError> {
        if let spans { spans.update(repeating: FlowSpan(), count: FlowRecordField.allCases.count) }
        do throws(JSONScanFailure) {
            return .success(try check(record, spans: spans))
        } catch {
            return .failure(FlowRecordError(error, record: record))
        }
    }

    /// Validates one record held in an array.
    public func validate(_ record: [UInt8]) -> Result<ValidFlowRecord, FlowRecordError> {
        record.withUnsafeBytes { validate($0) }
    }

    // MARK: - Record

    private func check(_ record: UnsafeRawBufferPointer, spans: UnsafeMutablePointer<FlowSpan>?) throws(JSONScanFailure) -> ValidFlowRecord {
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
        try Self.object(&s, nil, into: &out, spans: spans)
        s.skipWhitespace()
        guard s.atEnd else { throw s.failure(.trailingBytes, at: s.position) }
        return out
    }

    /// The record (`container` nil) or one of its objects, from its `{` to past its `}`: each
    /// member's value checked as its ``FlowRecordField/value`` says, the values a sink routes by
    /// kept in `out`.
    private static func object(
        _ s: inout JSONByteScanner, _ container: FlowRecordField?, into out: inout ValidFlowRecord, spans: UnsafeMutablePointer<FlowSpan>?
    ) throws(JSONScanFailure) {
        s.position += 1
        let path = FlowFieldPath(key: container)
        var seen: UInt64 = 0
        var next = try member(&s, of: container, first: true, expecting: container?.firstMember ?? .timestamp, seen: &seen)
        while let field = next {
            let start = s.position
            switch field.value {
            case .integer(let range):
                let value = try integer(&s, range)
                switch field {
                case .startMs: out.startMs = value
                case .endMs: out.endMs = value
                case .sessionID: out.sessionID = value
                case .seq: out.seq = value
                default: break
                }
            case .seconds:
                out.timestamp = try integer(&s, 0...FlowRecordField.maxTimestamp)
            case .text(let lengths):
                let text = try string(&s, lengths)
                if field == .eventID {
                    out.eventIDRange = text.start..<text.end
                    out.eventIDHasEscapes = text.hasEscapes
                } else if field == .generatorID {
                    out.generatorIDRange = text.start..<text.end
                    out.generatorIDHasEscapes = text.hasEscapes
                }
            case .address:
                try ipv4(&s)
            case .name(let vocabulary, let nullable):
                if nullable && s.current == UInt8(ascii: "n") {
                    try s.scanLiteral("null")
                } else {
                    switch vocabulary {
                    case .anomalyLabel: out.label = try label(&s)
                    case .malformedKind: out.malformedKind = try malformedKind(&s)
                    case .transportProtocol: try transport(&s)
                    case .incidentID: try incidentID(&s)
                    case .technique:
                        try name(&s, .technique) { p, n in IncidentFamily.allCases.contains { $0.technique.map { JSONByteScanner.equals(p, n, $0) } ?? false } }
                    case .stage:
                        try name(&s, .stage) { p, n in IncidentFamily.allCases.dropFirst().contains { JSONByteScanner.equals(p, n, $0.stage) } }
                    case .tcpFlag:
                        preconditionFailure("\(field): a flag is not a field's value")
                    }
                }
            case .names(let vocabulary):
                if vocabulary == .tcpFlag {
                    _ = try names(&s, field) { p, n in tcpFlag(p, n).map { UInt64($0.rawValue) } }
                } else {
                    // AnomalySet keeps a label at the same bit; `normal` is no anomaly.
                    let bits = try names(&s, field) { p, n in anomalyLabel(p, n).map { 1 << UInt64($0.rawValue) } }
                    out.anomalies = AnomalySet(rawValue: UInt32(truncatingIfNeeded: bits) & ~1)
                }
            case .object:
                guard s.current == UInt8(ascii: "{") else { throw try s.wrongType(expected: .object) }
                try object(&s, field, into: &out, spans: spans)
            }
            spans?[Int(field.rawValue)] = FlowSpan(start: start, end: s.position)
            s.path = path
            next = try member(&s, of: container, first: false, expecting: field.successor, seen: &seen)
        }
        try requireAll(&s, seen, of: container)
    }

    /// Reads the next member's key (after `{` when `first`, else after a value): checks it is
    /// known and new, consumes the colon and points the path at the member. `nil` at the `}`.
    ///
    /// `expected` is the key that usually comes next; when the bytes spell exactly it, the key is
    /// taken without scanning and matching it as a string.
    @inline(__always)
    private static func member(
        _ s: inout JSONByteScanner, of container: FlowRecordField?, first: Bool, expecting expected: FlowRecordField, seen: inout UInt64
    ) throws(JSONScanFailure) -> FlowRecordField? {
        var b = try s.peekToken(expecting: first ? .key : .memberSeparator)
        if b == UInt8(ascii: "}") {
            s.position += 1
            return nil
        }
        if !first {
            guard b == UInt8(ascii: ",") else { throw s.unexpected(.memberSeparator) }
            s.position += 1
            b = try s.peekToken(expecting: .key)
        }
        guard b == UInt8(ascii: "\"") else { throw s.unexpected(.key) }
        let field: FlowRecordField
        let token: JSONStringToken
        if let predicted = s.scanKey(expected.name) {
            token = predicted
            field = expected
        } else {
            token = try s.scanString()
            guard let known = s.matchShort(token, { p, n in FlowKeyTable.field(in: container, named: p, count: n) }) else {
                throw s.failure(.unknownField(token), at: token.start - 1, to: token.end + 1)
            }
            field = known
        }
        let bit = UInt64(1) << field.rawValue
        s.path = FlowFieldPath(key: field)
        guard seen & bit == 0 else { throw s.failure(.duplicateKey, at: token.start - 1, to: token.end + 1) }
        seen |= bit
        try s.colon()
        return field
    }

    /// After an object's `}`: every required key was seen, or the first missing one is reported.
    @inline(__always)
    private static func requireAll(_ s: inout JSONByteScanner, _ seen: UInt64, of container: FlowRecordField?) throws(JSONScanFailure) {
        let missing = FlowKeyTable.required(in: container) & ~seen
        guard missing != 0 else { return }
        let field = FlowRecordField(rawValue: UInt8(missing.trailingZeroBitCount)) ?? .timestamp
        s.path = FlowFieldPath(key: field)
        throw s.failure(.missing, at: s.position - 1)
    }

    // MARK: - Arrays

    /// A list of distinct names, each of which `known` maps to its own bit; returns the bits seen.
    @inline(__always)
    private static func names(
        _ s: inout JSONByteScanner, _ field: FlowRecordField, _ known: (UnsafeRawPointer, Int) -> UInt64?
    ) throws(JSONScanFailure) -> UInt64 {
        guard s.current == UInt8(ascii: "[") else { throw try s.wrongType(expected: .array) }
        s.position += 1
        guard try s.firstElement() else { return 0 }
        guard case .names(let vocabulary) = field.value else { preconditionFailure("\(field) is not a list of names") }
        var seen: UInt64 = 0
        var index: Int32 = 0
        repeat {
            s.path = FlowFieldPath(key: field, index: index)
            let start = s.position
            let text = try string(&s, 0...Int.max)
            guard let bit = s.matchShort(text, known) else {
                throw s.failure(.unknownValue(vocabulary), at: start, to: s.position)
            }
            guard seen & bit == 0 else { throw s.failure(.repeatedName, at: start, to: s.position) }
            seen |= bit
            index += 1
            s.path = FlowFieldPath(key: field)
        } while try s.nextElement()
        return seen
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

/// Where in the record a failure is: a field (`tags.vpc_id`), an element of a list (`flags[2]`), or the whole record.
struct FlowFieldPath: Sendable {
    /// The field (its object is its ``FlowRecordField/container``); nil for the whole record.
    var key: FlowRecordField?
    var index: Int32

    init(key: FlowRecordField? = nil, index: Int32 = -1) {
        self.key = key
        self.index = index
    }

    static var record: FlowFieldPath { FlowFieldPath() }

    /// `app_layer.status_code`, `flags[2]`, or empty for the whole record.
    var text: String {
        let text = key?.path ?? ""
        return index >= 0 ? text + "[\(index)]" : text
    }
}
