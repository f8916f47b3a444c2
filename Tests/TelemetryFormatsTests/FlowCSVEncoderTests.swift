import ChaosEngine
import Foundation
import TelemetryFormats
import TelemetryModel
import Testing

@Suite struct FlowCSVEncoderTests {
    /// A small RFC 4180 reader (quoted fields, doubled quotes).
    static func parse(_ line: Substring) -> [String] {
        var fields: [String] = []
        var field = ""
        var quoted = false
        var iterator = line.makeIterator()
        while let c = iterator.next() {
            if quoted {
                if c == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { field.append("\"") } else { quoted = false; if next == "," { fields.append(field); field = "" } else { field.append(next) } }
                    } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" { quoted = true } else if c == "," { fields.append(field); field = "" } else { field.append(c) }
        }
        fields.append(field)
        return fields
    }

    @Test func rowsMatchEventsAndQuoteLists() throws {
        let (vocabulary, events) = SampleFlows.make(count: 4_096, seed: 11, generatorID: "gen,comma")
        let count = events.count
        let ends = UnsafeMutablePointer<Int>.allocate(capacity: count)
        defer { ends.deallocate() }
        var buffer = WriteBuffer()
        events.withUnsafeBufferPointer { FlowCSVEncoder(vocabulary: vocabulary).encode($0.baseAddress!, count: count, into: &buffer, recordEnds: ends) }
        let text = String(decoding: buffer.bytes, as: UTF8.self)
        let lines = text.split(separator: "\n")
        #expect(lines.count == count)
        let columns = FlowCSVEncoder.columns
        var multiFlag = 0
        for (i, line) in lines.enumerated() {
            let event = events[i]
            let row = Self.parse(line)
            if event.malformation?.kind == .truncated {
                #expect(row.count < columns.count)
                continue
            }
            #expect(row.count == columns.count, "\(line)")
            let value = Dictionary(uniqueKeysWithValues: zip(columns, row))
            #expect(value["generator_id"] == "gen,comma")
            #expect(value["seq"] == String(event.seq))
            #expect(value["label"] == event.label.name)
            #expect(value["anomalies"] == event.anomalies.labels.map(\.name).joined(separator: ","))
            if event.malformation == nil {
                #expect(value["flags"] == event.flags.names.joined(separator: ","))
                #expect(value["app_layer.host"] == vocabulary.hostName(of: event))
                #expect(value["start_ms"] == String(event.startMs) && value["end_ms"] == String(event.endMs))
                #expect(value["session_id"] == String(event.sessionID) && value["packets_received"] == String(event.packetsReceived))
                #expect(value["bytes_sent"] == String(event.bytesSent))
                #expect(value["malformed_kind"] == "")
                if event.flags.names.count > 1 { multiFlag += 1; #expect(line.contains("\"\(event.flags.names.joined(separator: ","))\"")) }
            } else {
                #expect(value["malformed_kind"] == event.malformation!.kind.name)
            }
        }
        #expect(multiFlag > 1_000)
        #expect(String(decoding: FlowCSVEncoder.header(), as: UTF8.self) == columns.joined(separator: ",") + "\n")
    }
}
