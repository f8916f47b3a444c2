import Foundation

/// A run's manifest as `netchaos generate --manifest` writes it: the generator, its slots, and the
/// slots planned to be missing (drops) or refused (malformed records).
public struct RunManifestDocument: Sendable, Hashable {
    public var generatorID: String
    public var slots: Int64
    public var records: Int64
    /// Planned drops, inclusive ranges.
    public var dropped: [ClosedRange<Int64>]
    /// Malformed records by kind.
    public var malformed: [String: [Int64]]

    public init(generatorID: String, slots: Int64, records: Int64 = 0, dropped: [ClosedRange<Int64>] = [], malformed: [String: [Int64]] = [:]) {
        self.generatorID = generatorID
        self.slots = slots
        self.records = records
        self.dropped = dropped
        self.malformed = malformed
    }

    /// Why a manifest could not be read.
    public struct ReadError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Reads a manifest's JSON; `origin` names it in errors.
    public init(json bytes: [UInt8], origin: String) throws(ReadError) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw ReadError(description: "\(origin): not a JSON object (a manifest of netchaos generate --manifest)")
        }
        guard let generatorID = object["generator_id"] as? String, !generatorID.isEmpty else {
            throw ReadError(description: "\(origin): no generator_id")
        }
        guard let slots = (object["slots"] as? NSNumber)?.int64Value, slots >= 0 else {
            throw ReadError(description: "\(origin): no slots (a whole number >= 0)")
        }
        var dropped: [ClosedRange<Int64>] = []
        for item in object["dropped"] as? [Any] ?? [] {
            guard let pair = item as? [NSNumber], pair.count == 2, pair[0].int64Value <= pair[1].int64Value, pair[0].int64Value >= 0 else {
                throw ReadError(description: "\(origin): dropped holds [first, last] pairs of slots; found \(item)")
            }
            dropped.append(pair[0].int64Value...pair[1].int64Value)
        }
        var malformed: [String: [Int64]] = [:]
        for (kind, value) in object["malformed"] as? [String: Any] ?? [:] {
            guard let seqs = value as? [NSNumber] else { throw ReadError(description: "\(origin): malformed.\(kind) is not a list of slots") }
            malformed[kind] = seqs.map(\.int64Value)
        }
        self.init(
            generatorID: generatorID, slots: slots, records: (object["records"] as? NSNumber)?.int64Value ?? 0,
            dropped: dropped, malformed: malformed
        )
    }

    var plannedDrops: Int64 { dropped.reduce(0) { $0 + $1.upperBound - $1.lowerBound + 1 } }
}
