import Foundation
import TelemetryModel

// MARK: - libFuzzer entry point

/// Fuzzes the strict flow-record validator (``FlowRecordValidator``, on ``JSONByteScanner``) and
/// ``RecordSlot/read(_:)`` with any bytes as one record. Properties, beyond "never traps":
///
/// Validator:
/// 1. It answers a valid record or a typed rejection whose offset lies within the record and
///    whose detail is not empty; a limit one byte below the record's length rejects it as
///    `too_large` at offset 0, and a limit of exactly its length changes nothing.
/// 2. A record it accepts is one JSON object for Foundation's `JSONSerialization` too, holding
///    every required key and no unknown one, with the same `timestamp`, `event_id`,
///    `generator_id`, `seq`, `label`, `anomalies` and `malformed_kind` the validator returned.
/// 3. A record it accepts, cut anywhere before its closing brace, is refused as `invalid_json`,
///    and ``RecordSlot/read(_:)`` finds no slot in it.
/// 4. On a record it accepts, ``RecordSlot/read(_:)`` returns exactly the record's
///    `generator_id` and `seq` when it has both, and nil otherwise.
///
/// 6. The values ``FlowRecordValues`` reads from the spans the validator stored equal
///    `JSONSerialization`'s for every field: present or not, integers, strings, `null`, lists.
///
/// RecordSlot:
/// 5. Whenever it returns a slot, `JSONSerialization` reads the same bytes as one object whose
///    `generator_id` is the slot's (a string) and whose `seq` is the slot's (an integer).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let record = UnsafeRawBufferPointer(start: data, count: size)
    ValidatorProperties.check(record)
    return 0
}

enum ValidatorProperties {
    static let validator = FlowRecordValidator()

    /// Every key a record may hold, and the ones it must.
    static let requiredKeys = Set(FlowRecordField.recordFields.filter { $0.presence == .required }.map(\.key))
    static let optionalKeys = Set(FlowRecordField.recordFields.filter { $0.presence != .required }.map(\.key))

    static func check(_ record: UnsafeRawBufferPointer) {
        let result = validator.validate(record)
        checkLimits(record, result)
        switch result {
        case .success(let valid):
            checkAccepted(record, valid)
        case .failure(let error):
            FuzzCheck.require(
                (0...record.count).contains(error.offset), "rejection offset \(error.offset) outside a record of \(record.count) bytes")
            FuzzCheck.require(!error.detail.isEmpty, "rejection \(error.reason.rawValue) with no detail")
        }
        if let slot = RecordSlot.read(record) {
            checkSlotAgainstFoundation(record, slot)
        }
    }

    // MARK: - Property 1: limits

    private static func checkLimits(_ record: UnsafeRawBufferPointer, _ result: Result<ValidFlowRecord, FlowRecordError>) {
        guard record.count > 0 else { return }
        if case .failure(let error) = FlowRecordValidator(maxRecordBytes: record.count - 1).validate(record) {
            FuzzCheck.require(error.reason == .tooLarge && error.offset == 0, "over the limit by one byte gave \(error)")
        } else {
            FuzzCheck.fail("a record one byte over the limit was accepted")
        }
        let atLimit = FlowRecordValidator(maxRecordBytes: record.count).validate(record)
        FuzzCheck.require(atLimit == result, "a limit of exactly the record's length changed the answer: \(atLimit) vs \(result)")
    }

    // MARK: - Properties 2-4: an accepted record

    private static func checkAccepted(_ record: UnsafeRawBufferPointer, _ valid: ValidFlowRecord) {
        let object: [String: Any]
        switch FuzzJSON.read(record) {
        case .value(let value as [String: Any]):
            object = value
        case .numberOutOfRange:
            // Only a value the validator skips can hold such a number, and it skips none.
            FuzzCheck.fail("the validator accepted a record with a number outside Double's range")
        default:
            FuzzCheck.fail("the validator accepted a record JSONSerialization does not read as one object")
        }
        let keys = Set(object.keys)
        FuzzCheck.require(requiredKeys.isSubset(of: keys), "accepted without \(requiredKeys.subtracting(keys).sorted())")
        FuzzCheck.require(
            keys.isSubset(of: requiredKeys.union(optionalKeys)), "accepted with unknown keys \(keys.subtracting(requiredKeys).subtracting(optionalKeys).sorted())")

        FuzzCheck.require(FuzzJSON.int64(object["timestamp"]) == valid.timestamp, "timestamp \(valid.timestamp) vs \(String(describing: object["timestamp"]))")
        FuzzCheck.require(
            FuzzJSON.sameText(object["event_id"], valid.eventID(in: record)), "event_id \(valid.eventID(in: record)) vs \(String(describing: object["event_id"]))")
        let rangeText = String(decoding: UnsafeRawBufferPointer(rebasing: record[valid.eventIDRange]), as: UTF8.self)
        FuzzCheck.require(valid.eventIDHasEscapes || FuzzJSON.sameText(object["event_id"], rangeText), "eventIDRange does not cover event_id")

        if let range = valid.generatorIDRange {
            FuzzCheck.require(
                FuzzJSON.sameText(object["generator_id"], valid.generatorID(in: record) ?? ""), "generator_id vs \(String(describing: object["generator_id"]))")
            FuzzCheck.require(range.upperBound <= record.count && range.lowerBound > 0, "generatorIDRange \(range) outside the record")
        } else {
            FuzzCheck.require(object["generator_id"] == nil, "generator_id present but not returned")
        }
        checkOptionalInteger(object["seq"], valid.seq, "seq")
        checkOptionalInteger(object["start_ms"], valid.startMs, "start_ms")
        checkOptionalInteger(object["end_ms"], valid.endMs, "end_ms")
        checkOptionalInteger(object["session_id"], valid.sessionID, "session_id")
        FuzzCheck.require((object["label"] as? String) == valid.label?.name, "label \(String(describing: valid.label)) vs \(String(describing: object["label"]))")
        FuzzCheck.require(
            (object["malformed_kind"] as? String) == valid.malformedKind?.name,
            "malformed_kind \(String(describing: valid.malformedKind)) vs \(String(describing: object["malformed_kind"]))")
        if let anomalies = valid.anomalies {
            guard let names = object["anomalies"] as? [String] else { FuzzCheck.fail("anomalies returned but not an array of strings") }
            let expected = Set(anomalies.labels.map(\.name))
            FuzzCheck.require(Set(names).subtracting(["normal"]) == expected, "anomalies \(names) vs \(expected.sorted())")
        } else {
            FuzzCheck.require(object["anomalies"] == nil, "anomalies present but not returned")
        }

        checkSpans(record, object)

        // Property 4.
        let slot = RecordSlot.read(record)
        if let seq = valid.seq, let generatorID = valid.generatorID(in: record) {
            FuzzCheck.require(
                slot == RecordSlot(generatorID: generatorID, seq: seq), "RecordSlot.read gave \(String(describing: slot)), the validator \(generatorID)/\(seq)")
        } else {
            FuzzCheck.require(slot == nil, "RecordSlot.read found \(String(describing: slot)) in a record without both generator_id and seq")
        }

        // Property 3: a few cuts before the closing brace, chosen from the bytes.
        guard let closing = record.lastIndex(of: UInt8(ascii: "}")) else { FuzzCheck.fail("accepted with no closing brace") }
        var cuts: Set<Int> = [0, closing]
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in record { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
        for _ in 0..<6 {
            hash = hash &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            cuts.insert(Int((hash >> 33) % UInt64(closing + 1)))
        }
        for cut in cuts.sorted() {
            let prefix = UnsafeRawBufferPointer(rebasing: record[..<cut])
            switch validator.validate(prefix) {
            case .success:
                FuzzCheck.fail("the first \(cut) bytes of an accepted record were accepted too")
            case .failure(let error):
                FuzzCheck.require(error.reason == .invalidJSON, "the first \(cut) bytes of an accepted record were refused as \(error), not invalid_json")
            }
            FuzzCheck.require(RecordSlot.read(prefix) == nil, "RecordSlot.read found a slot in the first \(cut) bytes of a record")
        }
    }

    // MARK: - Property 6: values from the spans

    private static func checkSpans(_ record: UnsafeRawBufferPointer, _ object: [String: Any]) {
        var spans = [FlowSpan](repeating: FlowSpan(), count: FlowRecordField.allCases.count)
        let again = spans.withUnsafeMutableBufferPointer { validator.validate(record, spans: $0.baseAddress) }
        guard case .success = again else { FuzzCheck.fail("accepted without spans, refused with them: \(again)") }
        spans.withUnsafeBufferPointer { spans in
            let values = FlowRecordValues(record: record, spans: spans.baseAddress!)
            for field in FlowRecordField.allCases {
                let holder = field.container.map { object[$0.key] as? [String: Any] } ?? object
                let expected = holder?[field.key]
                FuzzCheck.require(values.contains(field) == (expected != nil), "\(field): span present \(values.contains(field)), JSONSerialization \(String(describing: expected))")
                guard let expected else { continue }
                switch field.value {
                case .integer, .seconds:
                    FuzzCheck.require(values.integer(field) == FuzzJSON.int64(expected), "\(field): \(String(describing: values.integer(field))) vs \(expected)")
                case .text, .address, .name:
                    let text = values.withText(field) { String(decoding: $0, as: UTF8.self) }
                    if expected is NSNull {
                        FuzzCheck.require(text == nil, "\(field): \(String(describing: text)) for null")
                    } else {
                        FuzzCheck.require(FuzzJSON.sameText(expected, text ?? "\u{0}missing"), "\(field): \(String(describing: text)) vs \(expected)")
                    }
                case .names:
                    var names: [String] = []
                    let count = values.forEachName(field) { name, index in
                        FuzzCheck.require(index == names.count, "\(field): name \(index) after \(names.count)")
                        names.append(String(decoding: name, as: UTF8.self))
                    }
                    FuzzCheck.require(count == names.count && names == expected as? [String], "\(field): \(names) vs \(expected)")
                case .object:
                    break
                }
            }
        }
    }

    private static func checkOptionalInteger(_ value: Any?, _ returned: Int64?, _ name: String) {
        if let returned {
            FuzzCheck.require(FuzzJSON.int64(value) == returned, "\(name) \(returned) vs \(String(describing: value))")
        } else {
            FuzzCheck.require(value == nil, "\(name) present but not returned")
        }
    }

    // MARK: - Property 5: RecordSlot

    private static func checkSlotAgainstFoundation(_ record: UnsafeRawBufferPointer, _ slot: RecordSlot) {
        let object: [String: Any]
        switch FuzzJSON.read(record) {
        case .value(let value as [String: Any]):
            object = value
        case .numberOutOfRange:
            return  // valid JSON that Foundation cannot hold; nothing to compare with
        default:
            FuzzCheck.fail("RecordSlot.read found \(slot) in bytes that JSONSerialization does not read as one object")
        }
        FuzzCheck.require(slot.seq >= 0, "RecordSlot.read returned a negative seq \(slot.seq)")
        FuzzCheck.require(FuzzJSON.int64(object["seq"]) == slot.seq, "RecordSlot seq \(slot.seq), JSONSerialization \(String(describing: object["seq"]))")
        FuzzCheck.require(
            FuzzJSON.sameText(object["generator_id"], slot.generatorID),
            "RecordSlot generator_id \(slot.generatorID), JSONSerialization \(String(describing: object["generator_id"]))")
    }
}
