import Foundation
import TelemetryModel

/// One line of a dead-letter object or topic, as the sink writes it: where the refused message
/// came from, why, and the record (as text, or base64 when it was not UTF-8).
struct DeadLetterLine {
    var origin: String?
    var reason: String
    var record: [UInt8]?
    /// The slot the message named in its headers (`generator_id`, `seq` beside the record).
    var slot: RecordSlot?

    /// Nil when the line is not a dead letter (not a JSON object with a reason).
    init?(_ bytes: UnsafeRawBufferPointer) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
              let reason = object["reason"] as? String else { return nil }
        self.reason = reason
        if let topic = object["topic"] as? String, let partition = object["partition"] as? NSNumber, let offset = object["offset"] as? NSNumber {
            origin = "\(topic)/\(partition.int64Value)/\(offset.int64Value)"
        }
        if let generatorID = object["generator_id"] as? String, !generatorID.isEmpty, let seq = object["seq"] as? NSNumber,
           seq.int64Value >= 0, seq.doubleValue == Double(seq.int64Value) {
            slot = RecordSlot(generatorID: generatorID, seq: seq.int64Value)
        }
        if let text = object["record"] as? String {
            record = Array(text.utf8)
        } else if let encoded = object["record_base64"] as? String, let data = Data(base64Encoded: encoded) {
            record = Array(data)
        }
    }
}
