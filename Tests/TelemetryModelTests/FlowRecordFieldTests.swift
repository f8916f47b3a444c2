import Testing

@testable import TelemetryModel

/// The one declaration of the flow record's fields, and the validator's view of it.
@Suite struct FlowRecordFieldTests {
    @Test("keys are unique within their object; objects hold their members; the Go producer's fields come first, in order")
    func declaration() {
        for container in [nil, FlowRecordField.appLayer, .tags] {
            let keys = FlowRecordField.allCases.filter { $0.container == container }.map(\.key)
            #expect(Set(keys).count == keys.count, "\(String(describing: container))")
        }
        #expect(FlowRecordField.producerFields.map(\.key) == [
            "timestamp", "event_id", "src_ip", "dst_ip", "src_port", "dst_port", "protocol", "bytes_sent", "bytes_received",
            "latency_ms", "packets_sent", "flags", "app_layer", "tags",
        ])
        #expect(FlowRecordField.appLayer.members().map(\.path) == ["app_layer.protocol", "app_layer.method", "app_layer.host", "app_layer.status_code"])
        #expect(FlowRecordField.tags.members().map(\.key) == ["env", "region", "security_group", "vpc_id", "account_id"])
        #expect(FlowRecordField.leaves.count == 33 && !FlowRecordField.leaves.contains { $0.value == .object })
        #expect(FlowRecordField.allCases.filter(\.isGroundTruth).map(\.key) == ["label", "anomalies", "malformed_kind", "incident_id", "technique", "stage"])
        // Raw values are bits in a 64-bit set of seen keys.
        #expect(FlowRecordField.allCases.count <= 64)
    }

    @Test("the validator requires exactly the fields declared required, per object, and finds every key by its bytes")
    func validatorView() {
        for container in [nil, FlowRecordField.appLayer, .tags] {
            let required = FlowRecordField.allCases.filter { $0.container == container && $0.presence == .required }
            #expect(FlowKeyTable.required(in: container) == required.reduce(0) { $0 | 1 << UInt64($1.rawValue) })
            func lookUp(_ key: String) -> FlowRecordField? {
                key.utf8CString.withUnsafeBufferPointer { p in
                    FlowKeyTable.field(in: container, named: UnsafeRawPointer(p.baseAddress!), count: p.count - 1)
                }
            }
            for field in FlowRecordField.allCases where field.container == container {
                #expect(lookUp(field.key) == field, "\(field)")
            }
            #expect(lookUp("no_such_key") == nil && lookUp("") == nil && lookUp(String(repeating: "k", count: 40)) == nil)
            #expect(lookUp("vpc_id") == (container == .tags ? .vpcID : nil))
        }
    }

    @Test("a record missing a required field names the first one missing, in declared order")
    func missingInOrder() throws {
        let record = #"{"timestamp":1,"event_id":"e","src_ip":"1.2.3.4","dst_ip":"1.2.3.5","src_port":1,"dst_port":2,"bytes_sent":0}"#
        guard case .failure(let error) = FlowRecordValidator().validate(Array(record.utf8)) else {
            Issue.record("accepted a record without most fields")
            return
        }
        #expect(error.reason == .missingField && error.field == "protocol")
    }
}
