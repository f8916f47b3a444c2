import TelemetryModel

/// The fields every record ends with, after its own: `label`, `anomalies`, `generator_id`, `seq`,
/// then `}` in JSON and the newline. In CSV, `anomalies` is one field of comma-separated names
/// (quoted when there are several).
enum GroundTruthFields {
    @inline(__always)
    static func write(_ p: inout UnsafeMutablePointer<UInt8>, anomalies: AnomalySet, generatorID: StringTable, seq: Int64, json: Bool) {
        if json {
            ByteWriting.literal(&p, ",\"label\":\"")
            ByteWriting.literal(&p, anomalies.primaryLabel.staticName)
            ByteWriting.literal(&p, "\",\"anomalies\":[")
            WireNames.anomalies(&p, anomalies, quote: true, separator: UInt8(ascii: ","))
            ByteWriting.literal(&p, "],\"generator_id\":\"")
            generatorID.write(&p, 0)
            ByteWriting.literal(&p, "\",\"seq\":")
            ByteWriting.signed(&p, seq)
            ByteWriting.byte(&p, UInt8(ascii: "}"))
        } else {
            ByteWriting.byte(&p, UInt8(ascii: ","))
            ByteWriting.literal(&p, anomalies.primaryLabel.staticName)
            ByteWriting.byte(&p, UInt8(ascii: ","))
            let several = anomalies.rawValue & (anomalies.rawValue &- 1) != 0
            if several { ByteWriting.byte(&p, UInt8(ascii: "\"")) }
            WireNames.anomalies(&p, anomalies, quote: false, separator: UInt8(ascii: ","))
            if several { ByteWriting.byte(&p, UInt8(ascii: "\"")) }
            ByteWriting.byte(&p, UInt8(ascii: ","))
            generatorID.write(&p, 0)
            ByteWriting.byte(&p, UInt8(ascii: ","))
            ByteWriting.signed(&p, seq)
        }
        ByteWriting.byte(&p, UInt8(ascii: "\n"))
    }
}
