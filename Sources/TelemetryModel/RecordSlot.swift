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
    /// non-negative integer `seq` at its top level, or names either key twice (readers disagree
    /// on which of two values counts).
    public static func read(_ bytes: UnsafeRawBufferPointer) -> RecordSlot? {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return nil }
        var scanner = JSONByteScanner(base: base, count: bytes.count)
        var generatorID: String?
        var seq: Int64?
        var generatorIDKeys = 0
        var seqKeys = 0
        do throws(JSONScanFailure) {
            guard try scanner.peekToken(expecting: .value) == UInt8(ascii: "{") else { return nil }
            scanner.position += 1
            var key = try scanner.firstKey()
            while let name = key {
                try scanner.colon()
                let isGeneratorID = Self.keyIs(scanner, name, "generator_id")
                let isSeq = !isGeneratorID && Self.keyIs(scanner, name, "seq")
                if isGeneratorID { generatorIDKeys += 1 }
                if isSeq { seqKeys += 1 }
                if isGeneratorID, try scanner.kindOfValue() == .string {
                    generatorID = scanner.decodedString(try scanner.scanString())
                } else if isSeq, try scanner.kindOfValue() == .number {
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
        guard scanner.atEnd, generatorIDKeys == 1, seqKeys == 1, let generatorID, let seq else { return nil }
        return RecordSlot(generatorID: generatorID, seq: seq)
    }

    /// Whether the key is `name`, escaped or not (`"s\u0065q"` is `seq` too).
    private static func keyIs(_ scanner: JSONByteScanner, _ token: JSONStringToken, _ name: StaticString) -> Bool {
        if token.hasEscapes { return scanner.decodedString(token) == name.description }
        return token.end - token.start == name.utf8CodeUnitCount && JSONByteScanner.equals(scanner.base + token.start, name.utf8CodeUnitCount, name)
    }
}
