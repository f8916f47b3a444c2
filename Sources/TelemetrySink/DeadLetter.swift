import Foundation
import TelemetryFormats
import TelemetryModel

/// One record that failed validation, as written to the dead-letter place: a JSON object with
/// where it came from, why it was refused, and the record itself (as text when it is UTF-8,
/// else as base64).
///
/// `{"topic":"network-telemetry","partition":3,"offset":120007,"generator_id":"gen-2256b205","seq":52245,"reason":"wrong_type","field":"src_port","detail":"...","record":"{...}"}`
///
/// `generator_id` and `seq` are the message's slot headers, when it had them: they name the
/// record's slot however its value is mangled.
public struct DeadLetter: Sendable, Hashable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    /// The record's slot, from outside its value (the message's headers).
    public var slot: RecordSlot?
    /// The rejection reason's name (`invalid_json`, `wrong_type`, ...): a bounded set.
    public var reason: String
    /// The field path (`app_layer.status_code`), empty for the whole record.
    public var field: String
    public var detail: String

    public init(topic: String, partition: Int32, offset: Int64, slot: RecordSlot? = nil, reason: String, field: String, detail: String) {
        self.slot = slot
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.reason = reason
        self.field = field
        self.detail = detail
    }

    /// Appends the JSON line (with its newline) for this dead letter and `record` to `output`.
    public func write(record: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        output.append(contentsOf: #"{"topic":"#.utf8)
        Self.appendString(topic, to: &output)
        output.append(contentsOf: #","partition":"#.utf8)
        output.append(contentsOf: String(partition).utf8)
        output.append(contentsOf: #","offset":"#.utf8)
        output.append(contentsOf: String(offset).utf8)
        if let slot {
            output.append(contentsOf: #","generator_id":"#.utf8)
            Self.appendString(slot.generatorID, to: &output)
            output.append(contentsOf: #","seq":"#.utf8)
            output.append(contentsOf: String(slot.seq).utf8)
        }
        output.append(contentsOf: #","reason":"#.utf8)
        Self.appendString(reason, to: &output)
        output.append(contentsOf: #","field":"#.utf8)
        Self.appendString(field, to: &output)
        output.append(contentsOf: #","detail":"#.utf8)
        Self.appendString(detail, to: &output)
        if String(validating: record, as: UTF8.self) != nil {
            output.append(contentsOf: #","record":"#.utf8)
            Self.appendString(record, to: &output)
        } else {
            output.append(contentsOf: #","record_base64":""#.utf8)
            output.append(contentsOf: Data(record).base64EncodedString().utf8)
            output.append(UInt8(ascii: "\""))
        }
        output.append(contentsOf: "}\n".utf8)
    }

    static func appendString(_ text: String, to output: inout [UInt8]) {
        appendString(text.utf8, to: &output)
    }

    /// A JSON string literal of UTF-8 `bytes`.
    static func appendString(_ bytes: some Sequence<UInt8>, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        StringTable.appendJSONEscaped(bytes, to: &output)
        output.append(UInt8(ascii: "\""))
    }
}
