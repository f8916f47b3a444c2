import TelemetryModel
import Testing

// MARK: - Records to test with

/// A record as an ordered list of keys and raw JSON values, so a test can change one field.
struct RecordText: Sendable {
    var fields: [(key: String, value: String)]

    /// The original producer's 13 fields, as its Python `json.dumps` writes them (with spaces).
    static let original = RecordText(fields: [
        ("timestamp", "1700000000"),
        ("event_id", #""2f1b6c9e-5d43-4c1a-9a57-0d6f3c2b8e41""#),
        ("src_ip", #""10.0.1.17""#),
        ("dst_ip", #""8.8.8.8""#),
        ("src_port", "40213"),
        ("dst_port", "443"),
        ("protocol", #""TCP""#),
        ("bytes_sent", "1834"),
        ("bytes_received", "7321"),
        ("latency_ms", "23"),
        ("packets_sent", "17"),
        ("flags", #"["ACK", "PSH"]"#),
        ("app_layer", #"{"protocol": "HTTP/1.1", "method": "GET", "host": "api.internal.prod", "status_code": 200}"#),
        ("tags", #"{"env": "Production", "region": "us-east-1", "security_group": "sg-004217"}"#),
    ])

    /// The original fields plus the generator's own, compact as our encoder writes them.
    static let generated = original.adding("label", #""latency_spike""#)
        .adding("anomalies", #"["latency_spike","connection_reset"]"#)
        .adding("generator_id", #""gen-7220ef19""#)
        .adding("seq", "41")

    var text: String { "{" + fields.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ") + "}" }
    var compact: String { "{" + fields.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",") + "}" }

    func replacing(_ key: String, with value: String) -> RecordText {
        var copy = self
        let index = fields.firstIndex { $0.key == key }!
        copy.fields[index].value = value
        return copy
    }

    func removing(_ key: String) -> RecordText {
        var copy = self
        copy.fields.removeAll { $0.key == key }
        return copy
    }

    func adding(_ key: String, _ value: String) -> RecordText {
        var copy = self
        copy.fields.append((key, value))
        return copy
    }
}

/// An invalid record and what the validator must say about it.
struct Rejection: Sendable, CustomTestStringConvertible {
    var json: String
    var reason: FlowRejectReason
    var field: String
    var testDescription: String { "\(reason.rawValue) \(field): \(json.prefix(80))" }

    init(_ record: RecordText, _ reason: FlowRejectReason, _ field: String) {
        self.init(record.compact, reason, field)
    }

    init(_ json: String, _ reason: FlowRejectReason, _ field: String) {
        self.json = json
        self.reason = reason
        self.field = field
    }
}

private let validator = FlowRecordValidator()

private func validate(_ text: String) -> Result<ValidFlowRecord, FlowRecordError> {
    validator.validate(Array(text.utf8))
}

private func rejection(_ bytes: [UInt8]) -> FlowRecordError? {
    if case .failure(let error) = validator.validate(bytes) { return error }
    return nil
}

private func rejection(_ text: String) -> FlowRecordError? { rejection(Array(text.utf8)) }

private func app(_ members: String) -> String { "{" + members + "}" }

private let appFields = #""protocol":"HTTP/1.1","method":"GET","host":"api.internal.prod""#
private let tagFields = #""env":"Production","region":"us-east-1""#
private let base = RecordText.original

// MARK: - Valid records

@Suite struct FlowRecordValidatorTests {
    @Test func originalThirteenFieldRecordIsValid() throws {
        let record = try validate(base.text).get()
        #expect(record.timestamp == 1_700_000_000)
        #expect(record.label == nil && record.anomalies == nil && record.seq == nil && record.malformedKind == nil)
        #expect(record.generatorIDRange == nil)
        let text = Array(base.text.utf8)
        #expect(text.withUnsafeBytes { record.eventID(in: $0) } == "2f1b6c9e-5d43-4c1a-9a57-0d6f3c2b8e41")
        // Compact, as our encoder writes, is just as valid.
        #expect(try validate(base.compact).get() == record.withEventID(in: base.compact))
    }

    @Test func generatorFieldsAreReturned() throws {
        let text = RecordText.generated.compact
        let record = try validate(text).get()
        #expect(record.timestamp == 1_700_000_000)
        #expect(record.label == .latencySpike)
        #expect(record.anomalies == [.latencySpike, .connectionReset])
        #expect(record.seq == 41)
        #expect(record.malformedKind == nil)
        let bytes = Array(text.utf8)
        let range = try #require(record.generatorIDRange)
        #expect(String(decoding: bytes[range], as: UTF8.self) == "gen-7220ef19")
        #expect(bytes.withUnsafeBytes { record.generatorID(in: $0) } == "gen-7220ef19")
        #expect(!record.generatorIDHasEscapes)
    }

    @Test func optionalFieldsTakeEveryKnownName() throws {
        for label in AnomalyLabel.flowLabels {
            let record = try validate(base.adding("label", "\"\(label.name)\"").compact).get()
            #expect(record.label == label)
        }
        for kind in MalformedKind.allCases {
            let record = try validate(base.adding("malformed_kind", "\"\(kind.name)\"").compact).get()
            #expect(record.malformedKind == kind)
        }
        let all = AnomalyLabel.flowLabels.map { "\"\($0.name)\"" }.joined(separator: ",")
        let record = try validate(base.adding("anomalies", "[\(all)]").compact).get()
        #expect(record.anomalies == [.latencySpike, .connectionReset, .exfiltration, .portScan, .beaconing, .bruteForce, .ddos, .lateralMovement, .malformed])
        #expect(try validate(base.adding("anomalies", "[]").compact).get().anomalies == [])
        #expect(try validate(base.adding("anomalies", #"["normal"]"#).compact).get().anomalies == [])
        // Labels of the transactions dataset are not flow labels.
        for label in AnomalyLabel.transactionLabels where label != .normal {
            #expect(throws: (any Error).self) { try validate(base.adding("label", "\"\(label.name)\"").compact).get() }
        }
        // Every family's incident id, technique (or null) and stage.
        for family in IncidentFamily.allCases where family != .none {
            let id = IncidentID(family: family, number: 0x12_3456_789a_bcde).text
            let technique = family.technique.map { "\"\($0)\"" } ?? "null"
            let record = base.adding("incident_id", "\"\(id)\"").adding("technique", technique).adding("stage", "\"\(family.stage)\"")
            #expect(throws: Never.self) { try validate(record.compact).get() }
            #expect(throws: Never.self) { try validate(record.text).get() }
        }
        #expect(try validate(base.adding("seq", "0").compact).get().seq == 0)
        #expect(try validate(base.adding("seq", "9223372036854775807").compact).get().seq == .max)
    }

    @Test func boundaryValuesAreValid() throws {
        let records = [
            base.replacing("timestamp", with: "0"),
            base.replacing("timestamp", with: "253402300799"),
            base.replacing("timestamp", with: "-0"),
            base.replacing("src_port", with: "0").replacing("dst_port", with: "65535"),
            base.replacing("bytes_sent", with: "9223372036854775807").replacing("latency_ms", with: "0"),
            base.replacing("src_ip", with: #""0.0.0.0""#).replacing("dst_ip", with: #""255.255.255.255""#),
            base.replacing("protocol", with: #""UDP""#).replacing("flags", with: "[]"),
            base.replacing("protocol", with: #""ICMP""#),
            base.replacing("flags", with: #"["SYN","FIN","RST","ACK","PSH","URG"]"#),
            base.replacing("event_id", with: "\"scan-17\""),
            base.replacing("event_id", with: "\"" + String(repeating: "x", count: 128) + "\""),
            base.adding("generator_id", "\"" + String(repeating: "g", count: 64) + "\""),
            base.replacing("app_layer", with: app(#""protocol":"DNS","method":"","host":"","status_code":0"#)),
            base.replacing("app_layer", with: app(appFields + #","status_code":999"#)),
            base.replacing("tags", with: app(#""env":"","region":"","security_group":"""#)),
        ]
        for record in records {
            #expect(throws: Never.self, "\(record.compact)") { _ = try validate(record.compact).get() }
        }
        #expect(try validate(base.replacing("timestamp", with: "-0").compact).get().timestamp == 0)
    }

    @Test func keysMayComeInAnyOrder() throws {
        var shuffled = RecordText.generated
        shuffled.fields.reverse()
        let record = try validate(shuffled.compact).get()
        #expect(record.timestamp == 1_700_000_000 && record.seq == 41 && record.label == .latencySpike)
        let app = #"{"status_code": 200, "host": "h", "method": "GET", "protocol": "HTTP/2"}"#
        let tags = #"{"security_group": "sg-1", "region": "r", "env": "e"}"#
        #expect(throws: Never.self) { _ = try validate(base.replacing("app_layer", with: app).replacing("tags", with: tags).text).get() }
    }

    // MARK: - Rules per field

    static let fieldRules: [Rejection] = [
        // timestamp
        Rejection(base.replacing("timestamp", with: "-1"), .outOfRange, "timestamp"),
        Rejection(base.replacing("timestamp", with: "253402300800"), .outOfRange, "timestamp"),
        Rejection(base.replacing("timestamp", with: #""1700000000""#), .wrongType, "timestamp"),
        Rejection(base.replacing("timestamp", with: "null"), .wrongType, "timestamp"),
        Rejection(base.replacing("timestamp", with: "true"), .wrongType, "timestamp"),
        Rejection(base.replacing("timestamp", with: "1700000000.5"), .wrongType, "timestamp"),
        Rejection(base.replacing("timestamp", with: "[1700000000]"), .wrongType, "timestamp"),
        // event_id
        Rejection(base.replacing("event_id", with: #""""#), .outOfRange, "event_id"),
        Rejection(base.replacing("event_id", with: "\"" + String(repeating: "x", count: 129) + "\""), .outOfRange, "event_id"),
        Rejection(base.replacing("event_id", with: "42"), .wrongType, "event_id"),
        Rejection(base.replacing("event_id", with: "null"), .wrongType, "event_id"),
        // addresses
        Rejection(base.replacing("src_ip", with: #""10.0.300.17""#), .badIP, "src_ip"),
        Rejection(base.replacing("src_ip", with: #""192.168.1""#), .badIP, "src_ip"),
        Rejection(base.replacing("src_ip", with: #""not-an-ip""#), .badIP, "src_ip"),
        Rejection(base.replacing("src_ip", with: #""256.1.1.1""#), .badIP, "src_ip"),
        Rejection(base.replacing("src_ip", with: #""10.0.0.1.5""#), .badIP, "src_ip"),
        Rejection(base.replacing("src_ip", with: #""""#), .badIP, "src_ip"),
        Rejection(base.replacing("src_ip", with: #""01.2.3.4""#), .badIP, "src_ip"),
        Rejection(base.replacing("src_ip", with: #""10.0.0.00""#), .badIP, "src_ip"),
        Rejection(base.replacing("src_ip", with: #"" 10.0.0.1""#), .badIP, "src_ip"),
        Rejection(base.replacing("src_ip", with: #""10.0.0.1 ""#), .badIP, "src_ip"),
        Rejection(base.replacing("src_ip", with: #""1..2.3""#), .badIP, "src_ip"),
        Rejection(base.replacing("src_ip", with: #""10.0.0.-1""#), .badIP, "src_ip"),
        Rejection(base.replacing("src_ip", with: #""10.0.0.1/24""#), .badIP, "src_ip"),
        Rejection(base.replacing("src_ip", with: #""::1""#), .badIP, "src_ip"),
        Rejection(base.replacing("src_ip", with: "\"١.٢.٣.٤\""), .badIP, "src_ip"),
        Rejection(base.replacing("dst_ip", with: #""8.8.8.""#), .badIP, "dst_ip"),
        Rejection(base.replacing("dst_ip", with: "134744072"), .wrongType, "dst_ip"),
        Rejection(base.replacing("dst_ip", with: "null"), .wrongType, "dst_ip"),
        // ports
        Rejection(base.replacing("src_port", with: "65536"), .outOfRange, "src_port"),
        Rejection(base.replacing("dst_port", with: "-1"), .outOfRange, "dst_port"),
        Rejection(base.replacing("dst_port", with: #""443""#), .wrongType, "dst_port"),
        Rejection(base.replacing("dst_port", with: "443.0"), .wrongType, "dst_port"),
        // protocol
        Rejection(base.replacing("protocol", with: #""SCTP""#), .unknownValue, "protocol"),
        Rejection(base.replacing("protocol", with: #""tcp""#), .unknownValue, "protocol"),
        Rejection(base.replacing("protocol", with: #""""#), .unknownValue, "protocol"),
        Rejection(base.replacing("protocol", with: "6"), .wrongType, "protocol"),
        // counters
        Rejection(base.replacing("bytes_sent", with: "-1"), .outOfRange, "bytes_sent"),
        Rejection(base.replacing("bytes_sent", with: "9223372036854775808"), .outOfRange, "bytes_sent"),
        Rejection(base.replacing("bytes_received", with: "-3486"), .outOfRange, "bytes_received"),
        Rejection(base.replacing("latency_ms", with: "-1"), .outOfRange, "latency_ms"),
        // 32-bit counters: what a column of Int32 cannot hold is refused, not cut.
        Rejection(base.replacing("latency_ms", with: "2147483648"), .outOfRange, "latency_ms"),
        Rejection(base.replacing("packets_sent", with: "-9223372036854775809"), .outOfRange, "packets_sent"),
        Rejection(base.replacing("latency_ms", with: #""23""#), .wrongType, "latency_ms"),
        Rejection(base.replacing("packets_sent", with: "1e2"), .wrongType, "packets_sent"),
        // flags
        Rejection(base.replacing("flags", with: #""ACK,PSH""#), .wrongType, "flags"),
        Rejection(base.replacing("flags", with: "{}"), .wrongType, "flags"),
        Rejection(base.replacing("flags", with: "null"), .wrongType, "flags"),
        Rejection(base.replacing("flags", with: #"["ACK",7]"#), .wrongType, "flags[1]"),
        Rejection(base.replacing("flags", with: #"["ACK","XMAS"]"#), .unknownValue, "flags[1]"),
        Rejection(base.replacing("flags", with: #"["ack"]"#), .unknownValue, "flags[0]"),
        Rejection(base.replacing("flags", with: #"["ACK","SYN","ACK"]"#), .duplicateField, "flags[2]"),
        // app_layer
        Rejection(base.replacing("app_layer", with: #""HTTP/1.1""#), .wrongType, "app_layer"),
        Rejection(base.replacing("app_layer", with: "[]"), .wrongType, "app_layer"),
        Rejection(base.replacing("app_layer", with: "{}"), .missingField, "app_layer.protocol"),
        Rejection(base.replacing("app_layer", with: app(#""protocol":"HTTP/1.1","host":"h","status_code":200"#)), .missingField, "app_layer.method"),
        Rejection(base.replacing("app_layer", with: app(appFields)), .missingField, "app_layer.status_code"),
        Rejection(base.replacing("app_layer", with: app(appFields + #","status_code":1000"#)), .outOfRange, "app_layer.status_code"),
        Rejection(base.replacing("app_layer", with: app(appFields + #","status_code":-1"#)), .outOfRange, "app_layer.status_code"),
        Rejection(base.replacing("app_layer", with: app(appFields + #","status_code":"200""#)), .wrongType, "app_layer.status_code"),
        Rejection(base.replacing("app_layer", with: app(#""protocol":"","method":"GET","host":"h","status_code":200"#)), .outOfRange, "app_layer.protocol"),
        Rejection(base.replacing("app_layer", with: app(#""protocol":"DNS","method":1,"host":"h","status_code":0"#)), .wrongType, "app_layer.method"),
        Rejection(base.replacing("app_layer", with: app(#""protocol":"DNS","method":"Q","host":null,"status_code":0"#)), .wrongType, "app_layer.host"),
        Rejection(base.replacing("app_layer", with: app(appFields + #","host":"again","status_code":200"#)), .duplicateField, "app_layer.host"),
        Rejection(base.replacing("app_layer", with: app(appFields + #","status_code":200,"port":443"#)), .unknownField, "app_layer.port"),
        Rejection(base.replacing("app_layer", with: app(appFields + #","status_code":200,"tags":{}"#)), .unknownField, "app_layer.tags"),
        // tags
        Rejection(base.replacing("tags", with: #""Production""#), .wrongType, "tags"),
        Rejection(base.replacing("tags", with: app(tagFields)), .missingField, "tags.security_group"),
        Rejection(base.replacing("tags", with: app(#""region":"r","security_group":"sg""#)), .missingField, "tags.env"),
        Rejection(base.replacing("tags", with: app(tagFields + #","security_group":4217"#)), .wrongType, "tags.security_group"),
        Rejection(base.replacing("tags", with: app(tagFields + #","security_group":"sg","owner":"me""#)), .unknownField, "tags.owner"),
        Rejection(base.replacing("tags", with: app(tagFields + #","env":"Staging","security_group":"sg""#)), .duplicateField, "tags.env"),
        // optional fields
        Rejection(base.adding("label", #""weird""#), .unknownValue, "label"),
        Rejection(base.adding("label", #""Normal""#), .unknownValue, "label"),
        Rejection(base.adding("label", "0"), .wrongType, "label"),
        Rejection(base.adding("label", "null"), .wrongType, "label"),
        Rejection(base.adding("anomalies", #""latency_spike""#), .wrongType, "anomalies"),
        Rejection(base.adding("anomalies", #"["latency_spike","nope"]"#), .unknownValue, "anomalies[1]"),
        Rejection(base.adding("anomalies", #"["latency_spike",1]"#), .wrongType, "anomalies[1]"),
        Rejection(base.adding("anomalies", #"["exfiltration","exfiltration"]"#), .duplicateField, "anomalies[1]"),
        Rejection(base.adding("malformed_kind", #""bent""#), .unknownValue, "malformed_kind"),
        Rejection(base.adding("incident_id", #""inc-03000000000000zz""#), .unknownValue, "incident_id"),
        Rejection(base.adding("incident_id", #""inc-0300000000000001 ""#), .unknownValue, "incident_id"),
        Rejection(base.adding("incident_id", #""inc-030000000000001""#), .unknownValue, "incident_id"),
        Rejection(base.adding("incident_id", #""INC-0300000000000001""#), .unknownValue, "incident_id"),
        Rejection(base.adding("incident_id", #""inc-0300000000000A01""#), .unknownValue, "incident_id"),
        Rejection(base.adding("incident_id", #""inc-ff00000000000001""#), .unknownValue, "incident_id"),
        Rejection(base.adding("incident_id", #""inc-0000000000000001""#), .unknownValue, "incident_id"),
        Rejection(base.adding("incident_id", "7"), .wrongType, "incident_id"),
        Rejection(base.adding("technique", #""T9999""#), .unknownValue, "technique"),
        Rejection(base.adding("technique", "1046"), .wrongType, "technique"),
        Rejection(base.adding("technique", "nul"), .invalidJSON, "technique"),
        Rejection(base.adding("stage", #""recon""#), .unknownValue, "stage"),
        Rejection(base.adding("stage", "null"), .wrongType, "stage"),
        Rejection(base.adding("stage", #""none""#), .unknownValue, "stage"),
        Rejection(base.adding("stage", #""discovery""#).adding("stage", #""discovery""#), .duplicateField, "stage"),
        Rejection(base.adding("malformed_kind", "2"), .wrongType, "malformed_kind"),
        Rejection(base.adding("generator_id", #""""#), .outOfRange, "generator_id"),
        Rejection(base.adding("generator_id", "\"" + String(repeating: "g", count: 65) + "\""), .outOfRange, "generator_id"),
        Rejection(base.adding("generator_id", "7"), .wrongType, "generator_id"),
        Rejection(base.adding("seq", "-1"), .outOfRange, "seq"),
        Rejection(base.adding("seq", #""41""#), .wrongType, "seq"),
        Rejection(base.adding("seq", "41.0"), .wrongType, "seq"),
        Rejection(base.adding("seq", "18446744073709551616"), .outOfRange, "seq"),
        // keys
        Rejection(base.adding("user", #""alice""#), .unknownField, "user"),
        Rejection(base.adding("Timestamp", "1"), .unknownField, "Timestamp"),
        Rejection(base.adding("us\\u0065r", "1"), .unknownField, "user"),
        Rejection(base.adding("", "1"), .unknownField, ""),
        Rejection(base.adding("timestamp", "1700000001"), .duplicateField, "timestamp"),
        Rejection(base.adding("tim\\u0065stamp", "1700000001"), .duplicateField, "timestamp"),
        Rejection(base.adding("seq", "1").adding("seq", "1"), .duplicateField, "seq"),
    ]

    @Test(arguments: fieldRules)
    func fieldRule(_ rule: Rejection) throws {
        let error = try #require(rejection(rule.json))
        #expect(error.reason == rule.reason)
        #expect(error.field == rule.field)
        #expect(!error.detail.isEmpty)
    }

    @Test(arguments: RecordText.original.fields.map(\.key))
    func everyOriginalFieldIsRequired(_ key: String) throws {
        let error = try #require(rejection(base.removing(key).compact))
        #expect(error.reason == .missingField)
        #expect(error.field == key)
        #expect(error.detail == "required field \(key) is missing")
        // Reported at the record's closing brace.
        #expect(error.offset == base.removing(key).compact.utf8.count - 1)
    }

    @Test func theFirstMissingFieldInDocumentedOrderIsReported() throws {
        let error = try #require(rejection(base.removing("tags").removing("dst_ip").removing("flags").compact))
        #expect(error.field == "dst_ip")
        #expect(try #require(rejection("{}")).field == "timestamp")
    }

    @Test func detailNamesTheBadValue() throws {
        let port = try #require(rejection(base.replacing("src_port", with: "70000").compact))
        #expect(port.detail == "70000 is outside 0...65535")
        #expect(port.description == "out_of_range at src_port: 70000 is outside 0...65535")
        #expect(port.code == "out_of_range")
        let ip = try #require(rejection(base.replacing("dst_ip", with: #""10.0.300.17""#).compact))
        #expect(ip.detail == #""10.0.300.17" is not a dotted-quad IPv4 address"#)
        let type = try #require(rejection(base.replacing("timestamp", with: #""1700000000""#).compact))
        #expect(type.detail == #"expected an integer, got a string: "1700000000""#)
        let protocolName = try #require(rejection(base.replacing("protocol", with: #""SCTP""#).compact))
        #expect(protocolName.detail == #"unknown value "SCTP", expected one of TCP, UDP, ICMP"#)
        let unknown = try #require(rejection(base.adding("user", "1").compact))
        #expect(unknown.detail == #"unknown field "user""#)
        let huge = try #require(rejection(base.replacing("bytes_sent", with: "123456789012345678901234567890").compact))
        #expect(huge.detail == "123456789012345678901234567890 does not fit in a 64-bit integer")
    }

    @Test func longValuesAreCutInTheDetail() throws {
        let long = String(repeating: "a", count: 500)
        let error = try #require(rejection(base.replacing("event_id", with: "\"\(long)\"").compact))
        #expect(error.reason == .outOfRange)
        #expect(error.detail.hasPrefix("a string of 500 bytes, expected 1...128: \"aaaa"))
        #expect(error.detail.hasSuffix("a…"))
        #expect(error.detail.utf8.count < 120)
        let key = String(repeating: "k", count: 300)
        let unknown = try #require(rejection(base.adding(key, "1").compact))
        #expect(unknown.field == String(repeating: "k", count: FlowRecordError.maxValueBytes) + "…")
    }

    // MARK: - Order of problems

    @Test func theFirstProblemInTheRecordWins() throws {
        // Two bad fields: whichever comes first in the bytes is reported.
        let both = base.replacing("src_port", with: "70000").replacing("dst_ip", with: #""nope""#)
        #expect(try #require(rejection(both.compact)).reason == .badIP)  // dst_ip precedes src_port
        var swapped = both
        swapped.fields.swapAt(3, 4)
        #expect(try #require(rejection(swapped.compact)).reason == .outOfRange)
        // A bad value before a syntax error further on.
        let early = base.replacing("timestamp", with: #""x""#).compact
        #expect(try #require(rejection(String(early.dropLast(20)))).reason == .wrongType)
        // An unknown key is met before the end of the object, where missing fields are found.
        let unknownAndMissing = base.removing("timestamp").adding("user", "1").compact
        #expect(try #require(rejection(unknownAndMissing)).reason == .unknownField)
        // A value's own syntax is checked before its type.
        #expect(try #require(rejection(base.replacing("src_port", with: #""4\q""#).compact)).reason == .invalidJSON)
        #expect(try #require(rejection(base.replacing("src_port", with: "[1,]").compact)).reason == .invalidJSON)
        // A complete value of the wrong type comes before the bytes after it.
        #expect(try #require(rejection(base.adding("seq", "nulll").compact)).reason == .wrongType)
        // Missing fields are found at the closing brace, before trailing bytes.
        #expect(try #require(rejection(base.removing("tags").compact + "x")).reason == .missingField)
    }

    // MARK: - JSON grammar

    @Test func stringEscapesAreDecoded() throws {
        let id = #""a\"b\\c\/d\b\f\n\r\t\u00e9\u20AC\ud83d\ude00""#
        let text = base.replacing("event_id", with: id).adding("generator_id", #""gen-\"quoted\"""#).compact
        let record = try validate(text).get()
        let bytes = Array(text.utf8)
        #expect(record.eventIDHasEscapes && record.generatorIDHasEscapes)
        #expect(bytes.withUnsafeBytes { record.eventID(in: $0) } == "a\"b\\c/d\u{8}\u{C}\n\r\té€😀")
        #expect(bytes.withUnsafeBytes { record.generatorID(in: $0) } == "gen-\"quoted\"")
        // Names and addresses are compared after decoding.
        let escaped = base.replacing("protocol", with: #""\u0054CP""#).replacing("src_ip", with: #""10.0.1.\u0031""#)
            .replacing("flags", with: #"["\u0041CK"]"#).adding(#"l\u0061bel"#, #""\u006eormal""#)
        #expect(try validate(escaped.compact).get().label == .normal)
        // Length limits count decoded bytes: 64 × "é" escaped is 128 bytes of UTF-8.
        let wide = String(repeating: #"\u00e9"#, count: 64)
        #expect(throws: Never.self) { _ = try validate(base.replacing("event_id", with: "\"\(wide)\"").compact).get() }
        #expect(try #require(rejection(base.replacing("event_id", with: "\"\(wide)x\"").compact)).reason == .outOfRange)
        // Raw UTF-8 is fine too.
        #expect(throws: Never.self) { _ = try validate(base.replacing("event_id", with: "\"é€😀\"").compact).get() }
    }

    @Test func specialBytesAreFoundAtEveryOffset() throws {
        // Strings are scanned eight bytes at a time: put each kind of byte at every position.
        for k in 0..<20 {
            let plain = String(repeating: "a", count: k)
            for (inside, decoded) in [(#"\n"#, "\n"), ("é", "é"), (#"\""#, "\""), (#"\\"#, "\\"), ("😀", "😀")] {
                let text = base.replacing("event_id", with: "\"\(plain)\(inside)b\"").compact
                let record = try validate(text).get()
                #expect(Array(text.utf8).withUnsafeBytes { record.eventID(in: $0) } == plain + decoded + "b")
            }
            for bad: [UInt8] in [[0x09], [0x1F], [0xFF], [0xC3, 0x28]] {
                var bytes = Array(base.replacing("event_id", with: "\"\(plain)@b\"").compact.utf8)
                let at = bytes.firstIndex(of: UInt8(ascii: "@"))!
                bytes.replaceSubrange(at...at, with: bad)
                let error = try #require(rejection(bytes))
                #expect(error.reason == .invalidJSON)
                #expect(error.offset == at + bad.count - 1)
            }
            // A string that ends the record, read byte by byte.
            let error = try #require(rejection(#"{"event_id":""# + plain))
            #expect(error.reason == .invalidJSON && error.field == "event_id")
        }
    }

    static let badStrings: [String] = [
        #""\x""#, #""\u12""#, #""\u12G4""#, #""\U0041""#, #""\ud83d""#, #""\ud83dx""#, #""\ud83d\u0041""#,
        #""\ude00""#, #""\ude00\ud83d""#, "\"a\tb\"", "\"a\nb\"", "\"a\u{0}b\"", "\"a\u{1F}b\"",
    ]

    @Test(arguments: badStrings)
    func badStringsAreInvalidJSON(_ value: String) throws {
        let error = try #require(rejection(base.replacing("event_id", with: value).compact))
        #expect(error.reason == .invalidJSON)
        #expect(error.field == "event_id")
    }

    static let badUTF8: [[UInt8]] = [
        [0xC3, 0x28],  // a lead byte without its continuation
        [0x80],  // a lone continuation byte
        [0xC0, 0xAF],  // overlong "/"
        [0xE0, 0x80, 0xAF],  // overlong, three bytes
        [0xED, 0xA0, 0x80],  // an encoded surrogate
        [0xF4, 0x90, 0x80, 0x80],  // above U+10FFFF
        [0xF5, 0x80, 0x80, 0x80],
        [0xE2, 0x82],  // cut short before the quote
        [0xFF],
    ]

    @Test(arguments: badUTF8)
    func invalidUTF8IsInvalidJSON(_ sequence: [UInt8]) throws {
        for (prefix, suffix) in [("x", "y"), ("", ""), (String(repeating: "z", count: 20), String(repeating: "z", count: 20))] {
            var bytes = Array(base.replacing("event_id", with: "\"\(prefix)@\(suffix)\"").compact.utf8)
            let at = bytes.firstIndex(of: UInt8(ascii: "@"))!
            bytes.replaceSubrange(at...at, with: sequence)
            let error = try #require(rejection(bytes))
            #expect(error.reason == .invalidJSON)
            #expect(error.field == "event_id")
            #expect(error.detail.contains("invalid UTF-8"))
        }
        // Outside strings any non-ASCII byte is a syntax error too.
        var bytes = Array(base.compact.utf8)
        bytes.insert(contentsOf: sequence, at: 1)
        #expect(try #require(rejection(bytes)).reason == .invalidJSON)
    }

    @Test func validUTF8OfEveryLengthIsAccepted() throws {
        for scalar in ["\u{7F}", "\u{80}", "\u{7FF}", "\u{800}", "\u{FFFF}", "\u{10000}", "\u{10FFFF}", "\u{E000}"] {
            #expect(throws: Never.self) { _ = try validate(base.replacing("event_id", with: "\"a\(scalar)b\"").compact).get() }
        }
    }

    /// A number in `seq`, and what is wrong with it; syntax errors found after the number's last
    /// byte belong to the record, not to `seq`.
    static let numberCases: [(String, FlowRejectReason?)] = [
        ("41", nil), ("0", nil), ("-0", nil), ("9223372036854775807", nil),
        ("1e3", .wrongType), ("1E+2", .wrongType), ("1e-2", .wrongType), ("1.0", .wrongType), ("0.5", .wrongType),
        ("-0.0", .wrongType), ("1e400", .wrongType),
        ("01", .invalidJSON), ("-01", .invalidJSON), ("00", .invalidJSON), ("1.", .invalidJSON), (".5", .invalidJSON),
        ("+1", .invalidJSON), ("-", .invalidJSON), ("1e", .invalidJSON), ("1e+", .invalidJSON), ("1.e3", .invalidJSON),
        ("NaN", .invalidJSON), ("Infinity", .invalidJSON), ("-Infinity", .invalidJSON), ("- 1", .invalidJSON),
        ("99999999999999999999", .outOfRange), ("9223372036854775808", .outOfRange), ("-1", .outOfRange),
        ("-9223372036854775808", .outOfRange), ("-99999999999999999999", .outOfRange),
        ("true", .wrongType), ("false", .wrongType), ("null", .wrongType), (#""41""#, .wrongType), ("{}", .wrongType),
        ("tru", .invalidJSON), ("nul", .invalidJSON), ("True", .invalidJSON),
    ]

    @Test(arguments: ["0x10", "1_000", "1 2", "12a", "0-1"])
    func bytesAfterANumberAreASyntaxErrorOfTheRecord(_ number: String) throws {
        let error = try #require(rejection(base.adding("seq", number).compact))
        #expect(error.reason == .invalidJSON)
        #expect(error.field == "")
    }

    @Test(arguments: numberCases)
    func numbersFollowTheJSONGrammar(_ number: String, _ reason: FlowRejectReason?) throws {
        let result = validate(base.adding("seq", number).compact)
        switch (result, reason) {
        case (.success(let record), nil):
            #expect(record.seq == Int64(number == "-0" ? "0" : number))
        case (.failure(let error), let reason?):
            #expect(error.reason == reason)
            #expect(error.field == "seq")
        default:
            Issue.record("\(number): \(result)")
        }
    }

    @Test func whitespaceIsAllowedBetweenTokens() throws {
        let pretty = """
            \t\r
            {
              "timestamp" :\t1700000000 ,
              "event_id": "e",\r
              "src_ip": "10.0.0.1", "dst_ip": "10.0.0.2",
              "src_port": 1, "dst_port": 2, "protocol": "UDP",
              "bytes_sent": 0, "bytes_received": 0, "latency_ms": 0, "packets_sent": 1,
              "flags" : [ ] ,
              "app_layer" : { "protocol" : "DNS" , "method" : "QUERY" , "host" : "h" , "status_code" : 0 } ,
              "tags": {"env": "e", "region": "r", "security_group": "s"},
              "anomalies": [ "exfiltration" , "latency_spike" ]
            }

            """
        #expect(try validate(pretty).get().anomalies == [.exfiltration, .latencySpike])
        #expect(throws: Never.self) { _ = try validate(base.compact + "\n").get() }
        #expect(throws: Never.self) { _ = try validate(base.compact + "\r\n").get() }
        #expect(throws: Never.self) { _ = try validate("  " + base.compact + " \t ").get() }
        // Only space, tab, CR and LF are whitespace.
        for other in ["\u{0B}", "\u{0C}", "\u{A0}", "\u{2028}", "\u{FEFF}"] {
            #expect(try #require(rejection(other + base.compact)).reason == .invalidJSON)
            var spaced = base.compact
            spaced.insert(contentsOf: other, at: spaced.index(after: spaced.firstIndex(of: ",")!))
            #expect(try #require(rejection(spaced)).reason == .invalidJSON)
        }
    }

    static let syntaxErrors: [(String, FlowRejectReason, String)] = [
        ("", .invalidJSON, ""),
        ("   \n", .invalidJSON, ""),
        ("{", .invalidJSON, ""),
        ("{\"timestamp\"", .invalidJSON, "timestamp"),
        ("{\"timestamp\":", .invalidJSON, "timestamp"),
        ("{\"timestamp\" 1}", .invalidJSON, "timestamp"),
        ("{\"timestamp\":1 \"event_id\":\"e\"}", .invalidJSON, ""),
        ("{\"timestamp\":1,}", .invalidJSON, ""),
        ("{,\"timestamp\":1}", .invalidJSON, ""),
        ("{'timestamp':1}", .invalidJSON, ""),
        ("{timestamp:1}", .invalidJSON, ""),
        ("{\"timestamp\":1 /* now */}", .invalidJSON, ""),
        ("{\"flags\":[\"ACK\",]}", .invalidJSON, "flags[1]"),
        ("{\"flags\":[\"ACK\" \"SYN\"]}", .invalidJSON, "flags"),
        ("{\"flags\":[\"ACK\"}", .invalidJSON, "flags"),
        ("{\"app_layer\":{\"host\":\"h\",}}", .invalidJSON, "app_layer"),
        ("{\"app_layer\":{\"host\"}}", .invalidJSON, "app_layer.host"),
        ("[]", .notObject, ""),
        ("[1, {\"a\": null}]", .notObject, ""),
        ("\"record\"", .notObject, ""),
        ("42", .notObject, ""),
        ("null", .notObject, ""),
        ("true", .notObject, ""),
        ("[1,", .invalidJSON, ""),
        ("nul", .invalidJSON, ""),
        ("}", .invalidJSON, ""),
        ("\u{FEFF}{}", .invalidJSON, ""),
    ]

    @Test(arguments: syntaxErrors)
    func syntaxErrorsAndTopLevelValues(_ json: String, _ reason: FlowRejectReason, _ field: String) throws {
        let error = try #require(rejection(json))
        #expect(error.reason == reason)
        #expect(error.field == field)
    }

    @Test func bytesAfterTheObjectAreInvalid() throws {
        for tail in ["x", "}", " {}", "\n{}", ",", "\u{0}", "\n\n1"] {
            let error = try #require(rejection(base.compact + tail))
            #expect(error.reason == .invalidJSON)
            #expect(error.field == "")
            #expect(error.detail.hasPrefix("bytes after the object at byte \(base.compact.utf8.count + tail.prefix { $0 == " " || $0 == "\n" }.utf8.count)"))
        }
    }

    @Test func everyTruncationOfAValidRecordIsInvalidJSON() throws {
        let bytes = Array(RecordText.generated.text.utf8)
        for length in 0..<bytes.count {
            let error = try #require(rejection(Array(bytes[..<length])), "\(length)")
            #expect(error.reason == .invalidJSON, "\(length): \(error)")
        }
    }

    // MARK: - Limits

    @Test func recordsAboveTheSizeLimitAreTooLarge() throws {
        let small = FlowRecordValidator(maxRecordBytes: 100)
        let bytes = Array(base.compact.utf8)
        guard case .failure(let error) = small.validate(bytes) else {
            Issue.record("a \(bytes.count)-byte record passed a 100-byte limit")
            return
        }
        #expect(error.reason == .tooLarge && error.field == "")
        #expect(error.detail == "the record is \(bytes.count) bytes, above the limit of 100")
        #expect(FlowRecordValidator(maxRecordBytes: bytes.count).validate(bytes).isSuccess)
        #expect(FlowRecordValidator().maxRecordBytes == 1 << 20)
    }

    @Test func nestingIsLimited() throws {
        let shallow = String(repeating: "[", count: 10) + String(repeating: "]", count: 10)
        #expect(try #require(rejection(base.replacing("event_id", with: shallow).compact)).reason == .wrongType)
        let deep = String(repeating: "[", count: 40) + String(repeating: "]", count: 40)
        let error = try #require(rejection(base.replacing("event_id", with: deep).compact))
        #expect(error.reason == .tooLarge)
        #expect(error.field == "event_id")
        #expect(try #require(rejection(deep)).reason == .tooLarge)
        let deepObject = String(repeating: #"{"a":"#, count: 40) + "1" + String(repeating: "}", count: 40)
        #expect(try #require(rejection(base.replacing("tags", with: #"{"env":"#+deepObject+"}").compact)).reason == .tooLarge)
    }

    @Test func reasonLabelsAreStable() {
        #expect(FlowRejectReason.allCases.map(\.rawValue) == [
            "invalid_json", "not_object", "missing_field", "wrong_type", "out_of_range", "bad_ip", "unknown_value",
            "unknown_field", "duplicate_field", "too_large",
        ])
    }
}

// MARK: - Helpers

extension ValidFlowRecord {
    /// The same record as found in `text` (only the event id's byte range depends on spacing).
    fileprivate func withEventID(in text: String) -> ValidFlowRecord {
        var copy = self
        let bytes = Array(text.utf8)
        let marker = Array(#""event_id":""#.utf8)
        let start = (0...(bytes.count - marker.count)).first { Array(bytes[$0..<($0 + marker.count)]) == marker }! + marker.count
        copy.eventIDRange = start..<(start + eventIDRange.count)
        return copy
    }
}

extension Result {
    fileprivate var isSuccess: Bool {
        if case .success = self { return true }
        return false
    }
}
