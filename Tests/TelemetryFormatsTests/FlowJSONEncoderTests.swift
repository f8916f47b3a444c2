import ChaosEngine
import Foundation
import TelemetryFormats
import TelemetryModel
import Testing

/// Encodes generated events and reads them back with Foundation's JSON parser.
@Suite struct FlowJSONEncoderTests {
    static let sample = SampleFlows.make(count: 4 * 4_096, generatorID: "gen-\"quoted\"")
    static var vocabulary: FlowVocabulary { sample.vocabulary }

    static func encoded(chunk: Int = 0) -> (events: [FlowEvent], lines: [String]) {
        let slice = Array(sample.events[(chunk * 4_096)..<((chunk + 1) * 4_096)])
        let count = slice.count
        let ends = UnsafeMutablePointer<Int>.allocate(capacity: count)
        defer { ends.deallocate() }
        var buffer = WriteBuffer()
        slice.withUnsafeBufferPointer { FlowJSONEncoder(vocabulary: vocabulary).encode($0.baseAddress!, count: count, into: &buffer, recordEnds: ends) }
        #expect(ends[count - 1] == buffer.count)
        let text = String(decoding: buffer.bytes, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.removeLast() == "")
        return (slice, lines)
    }

    @Test func normalRecordsCarryEveryFieldWithItsValue() throws {
        let (events, lines) = Self.encoded()
        #expect(events.count == lines.count)
        var checked = 0
        var incidents = Set<IncidentFamily>()
        for (event, line) in zip(events, lines) where event.malformation == nil {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["timestamp"] as? Int == Int(event.timestamp))
            #expect(object["event_id"] as? String == event.eventIDString)
            #expect(object["src_ip"] as? String == event.srcIP.description)
            #expect(object["dst_ip"] as? String == event.dstIP.description)
            #expect(object["src_port"] as? Int == Int(event.srcPort))
            #expect(object["dst_port"] as? Int == Int(event.dstPort))
            #expect(object["protocol"] as? String == event.transport.name)
            #expect(object["bytes_sent"] as? Int == Int(event.bytesSent))
            #expect(object["bytes_received"] as? Int == Int(event.bytesReceived))
            #expect(object["latency_ms"] as? Int == Int(event.latencyMs))
            #expect(object["packets_sent"] as? Int == Int(event.packetsSent))
            #expect(object["flags"] as? [String] == event.flags.names)
            let app = try #require(object["app_layer"] as? [String: Any])
            #expect(app["protocol"] as? String == event.appProtocol.name)
            #expect(app["method"] as? String == event.appMethod.name)
            #expect(app["host"] as? String == Self.vocabulary.hostName(of: event))
            #expect(app["status_code"] as? Int == Int(event.statusCode))
            let tags = try #require(object["tags"] as? [String: Any])
            let identity = try #require(Self.vocabulary.hosts[Self.vocabulary.observer(of: event)].identity.map { Self.vocabulary.identities[$0] })
            #expect(tags["security_group"] as? String == identity.securityGroup)
            #expect(tags["env"] as? String == identity.environment)
            #expect(tags["region"] as? String == identity.region)
            #expect(tags["vpc_id"] as? String == identity.vpcID)
            #expect(tags["account_id"] as? String == identity.accountID)
            // Exactly the keys the declaration names: malformed_kind only on malformed records,
            // the incident's keys only on records an incident produced.
            let occasional: Set<String> = event.incident.isNone ? ["malformed_kind", "incident_id", "technique", "stage"] : ["malformed_kind"]
            #expect(Set(object.keys) == Set(FlowRecordField.recordFields.map(\.key)).subtracting(occasional))
            #expect(Set(app.keys) == Set(FlowRecordField.appLayer.members().map(\.key)))
            #expect(Set(tags.keys) == Set(FlowRecordField.tags.members().map(\.key)))
            #expect(object["packets_received"] as? Int == Int(event.packetsReceived))
            #expect(object["start_ms"] as? Int == Int(event.startMs))
            #expect(object["end_ms"] as? Int == Int(event.endMs))
            #expect(object["session_id"] as? Int == Int(event.sessionID))
            #expect(event.timestamp == event.endMs / 1_000)
            #expect(object["label"] as? String == event.label.name)
            #expect(object["anomalies"] as? [String] == event.anomalies.labels.map(\.name))
            #expect(object["generator_id"] as? String == "gen-\"quoted\"")
            #expect(object["seq"] as? Int == Int(event.seq))
            #expect(object["malformed_kind"] == nil)
            // The incident: its id, technique (null for a service's) and stage; no keys for normal traffic.
            if event.incident.isNone {
                #expect(object["incident_id"] == nil && object["technique"] == nil && object["stage"] == nil)
            } else {
                #expect(object["incident_id"] as? String == event.incident.text)
                #expect(IncidentID(text: event.incident.text) == event.incident)
                #expect(object["stage"] as? String == event.incident.family.stage.description)
                if let technique = event.incident.family.technique {
                    #expect(object["technique"] as? String == technique.description)
                } else {
                    #expect(object["technique"] is NSNull)
                }
                incidents.insert(event.incident.family)
            }
            checked += 1
        }
        #expect(checked > 3_300)
        #expect(incidents.isSuperset(of: [.serviceDegradation, .serviceFailure, .exfiltration]), "\(incidents)")
        // Fields come in declared order (the Go producer's first).
        let keys = FlowRecordField.recordFields.filter { $0.presence != .sometimes }.map { "\"\($0.key)\":" }
        let first = lines[events.firstIndex { $0.malformation == nil }!]
        let positions = keys.map { first.range(of: $0)!.lowerBound }
        #expect(positions == positions.sorted())
    }

    @Test func withoutLabelsRecordsCarryNoGroundTruthAndTheSidecarDoes() throws {
        let events = Array(Self.sample.events.prefix(4_096))
        let ends = UnsafeMutablePointer<Int>.allocate(capacity: events.count)
        defer { ends.deallocate() }
        var plain = WriteBuffer()
        var labelled = WriteBuffer()
        var sidecar = WriteBuffer()
        events.withUnsafeBufferPointer {
            FlowJSONEncoder(vocabulary: Self.vocabulary, labels: false).encode($0.baseAddress!, count: events.count, into: &plain, recordEnds: ends)
            FlowJSONEncoder(vocabulary: Self.vocabulary).encode($0.baseAddress!, count: events.count, into: &labelled, recordEnds: ends)
            FlowLabelsEncoder().encode($0.baseAddress!, count: events.count, into: &sidecar)
        }
        let plainLines = String(decoding: plain.bytes, as: UTF8.self).split(separator: "\n").map(String.init)
        let labelledLines = String(decoding: labelled.bytes, as: UTF8.self).split(separator: "\n").map(String.init)
        let sidecarLines = String(decoding: sidecar.bytes, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(plainLines.count == events.count && sidecarLines.count == events.count)
        let truthKeys = ["label", "anomalies", "malformed_kind", "incident_id", "technique", "stage"]
        var joined = 0
        for (i, event) in events.enumerated() where event.malformation == nil {
            let record = try #require(try JSONSerialization.jsonObject(with: Data(plainLines[i].utf8)) as? [String: Any])
            let inline = try #require(try JSONSerialization.jsonObject(with: Data(labelledLines[i].utf8)) as? [String: Any])
            let truth = try #require(try JSONSerialization.jsonObject(with: Data(sidecarLines[i].utf8)) as? [String: Any])
            #expect(truthKeys.allSatisfy { record[$0] == nil })
            // The record is the labelled one without the ground truth; the sidecar gives it back.
            #expect(NSDictionary(dictionary: record) == NSDictionary(dictionary: inline.filter { !truthKeys.contains($0.key) }))
            for key in truthKeys + ["event_id", "seq", "session_id", "src_ip", "src_port", "dst_ip", "dst_port", "protocol", "start_ms", "end_ms"] {
                #expect((truth[key] as? NSObject) == (inline[key] as? NSObject), "\(key): \(sidecarLines[i])")
            }
            joined += 1
        }
        #expect(joined > 3_300)
    }

    @Test func malformedRecordsAreBrokenAsDeclared() throws {
        var seen = Set<MalformedKind>()
        for chunk in 0..<4 {
            let (events, lines) = Self.encoded(chunk: chunk)
            for (event, line) in zip(events, lines) {
                guard let malformation = event.malformation else { continue }
                seen.insert(malformation.kind)
                let parsed = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                switch malformation.kind {
                case .truncated:
                    #expect(parsed == nil, "a truncated record must not parse: \(line)")
                    #expect(!line.contains("\n") && line.count >= 8)
                case .wrongType:
                    let object = try #require(parsed)
                    let numeric = ["timestamp", "src_port", "dst_port", "bytes_sent", "latency_ms"]
                    let wrong = numeric.contains { object[$0] is String } || object["protocol"] is NSNumber || object["flags"] is String
                    #expect(wrong, "\(line)")
                    #expect(object["malformed_kind"] as? String == "wrong_type")
                case .missingField:
                    let object = try #require(parsed)
                    let fields = FlowRecordField.producerFields.map(\.key)
                    #expect(fields.filter { object[$0] == nil }.count == 1, "\(line)")
                case .outOfRange:
                    let object = try #require(parsed)
                    let ports = ["src_port", "dst_port"].compactMap { object[$0] as? Int }
                    let counters = ["bytes_sent", "bytes_received", "latency_ms", "packets_sent"].compactMap { object[$0] as? Int }
                    #expect(ports.contains { $0 > 65_535 } || counters.contains { $0 < 0 }, "\(line)")
                case .badIP:
                    let object = try #require(parsed)
                    let addresses = [object["src_ip"] as? String, object["dst_ip"] as? String].compactMap { $0 }
                    #expect(addresses.contains { IPv4Address($0) == nil }, "\(line)")
                }
                if malformation.kind != .truncated { #expect(parsed?["label"] as? String == "malformed") }
            }
        }
        #expect(seen == Set(MalformedKind.allCases))
    }
}
