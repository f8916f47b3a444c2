/// Where a record sits in its generator's sequence: its `generator_id` and `seq`. Read only from a
/// record that is one whole, valid JSON object, so a record cut short (whose `"seq":52245` may
/// have become `"seq":52`) is never taken for another slot.
public struct RecordSlot: Hashable, Sendable {
    public var generatorID: String
    public var seq: Int64

    public init(generatorID: String, seq: Int64) {
        self.generatorID = generatorID
        self.seq = seq
    }

    /// The slot of the JSON object in `bytes` (whitespace around it allowed); nil when the bytes
    /// are not exactly one valid JSON object, or it has no string `generator_id` and no
    /// non-negative integer `seq` at its top level.
    public static func read(_ bytes: UnsafeRawBufferPointer) -> RecordSlot? {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return nil }
        var scanner = JSONByteScanner(base: base, count: bytes.count)
        var generatorID: String?
        var seq: Int64?
        do throws(JSONScanFailure) {
            guard try scanner.peekToken() == UInt8(ascii: "{") else { return nil }
            scanner.position += 1
            var key = try scanner.firstKey()
            while let name = key {
                try scanner.colon()
                if !name.hasEscapes, Self.keyIs(scanner, name, "generator_id"), try scanner.kindOfValue() == .string {
                    generatorID = scanner.decodedString(try scanner.scanString())
                } else if !name.hasEscapes, Self.keyIs(scanner, name, "seq"), try scanner.kindOfValue() == .number {
                    let number = try scanner.scanNumber()
                    seq = number.isInteger ? number.int64.flatMap { $0 >= 0 ? $0 : nil } : nil
                } else {
                    try scanner.skipValue(depth: 1)
                }
                key = try scanner.nextKey()
            }
            scanner.skipWhitespace()
        } catch {
            return nil
        }
        guard scanner.atEnd, let generatorID, let seq else { return nil }
        return RecordSlot(generatorID: generatorID, seq: seq)
    }

    private static func keyIs(_ scanner: JSONByteScanner, _ token: JSONStringToken, _ name: StaticString) -> Bool {
        token.end - token.start == name.utf8CodeUnitCount && JSONByteScanner.equals(scanner.base + token.start, name.utf8CodeUnitCount, name)
    }
}
