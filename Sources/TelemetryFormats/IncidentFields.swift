import TelemetryModel

/// The incident a record came from, as JSON keys (`incident_id`, `technique`, `stage`, written only
/// on records an incident produced) or as three CSV cells (empty for normal traffic).
enum IncidentFields {
    /// A flow record's whole ground truth as JSON keys: `,"label":…,"anomalies":[…]`, then
    /// `malformed_kind` (malformed records only) and the incident's keys.
    @inline(__always)
    static func writeFlowTruthJSON(_ p: inout UnsafeMutablePointer<UInt8>, _ e: FlowEvent, keys: FlowJSONKeys) {
        keys.write(&p, .label)
        ByteWriting.byte(&p, UInt8(ascii: "\""))
        ByteWriting.literal(&p, e.anomalies.primaryLabel.staticName)
        ByteWriting.byte(&p, UInt8(ascii: "\""))
        keys.write(&p, .anomalies)
        ByteWriting.byte(&p, UInt8(ascii: "["))
        WireNames.anomalies(&p, e.anomalies, quote: true, separator: UInt8(ascii: ","))
        ByteWriting.byte(&p, UInt8(ascii: "]"))
        if let malformation = e.malformation {
            keys.write(&p, .malformedKind)
            ByteWriting.byte(&p, UInt8(ascii: "\""))
            ByteWriting.literal(&p, malformation.kind.staticName)
            ByteWriting.byte(&p, UInt8(ascii: "\""))
        }
        writeJSON(&p, e.incident, keys: keys)
    }

    /// `,"incident_id":"inc-…","technique":"T1046","stage":"discovery"` (technique null for an
    /// operational incident); nothing for normal traffic.
    @inline(__always)
    static func writeJSON(_ p: inout UnsafeMutablePointer<UInt8>, _ incident: IncidentID, keys: FlowJSONKeys) {
        guard !incident.isNone else { return }
        let family = incident.family
        keys.write(&p, .incidentID)
        ByteWriting.literal(&p, "\"inc-")
        ByteWriting.hex64(&p, incident.rawValue)
        ByteWriting.byte(&p, UInt8(ascii: "\""))
        keys.write(&p, .technique)
        if let technique = family.technique {
            ByteWriting.byte(&p, UInt8(ascii: "\""))
            ByteWriting.literal(&p, technique)
            ByteWriting.byte(&p, UInt8(ascii: "\""))
        } else {
            ByteWriting.literal(&p, "null")
        }
        keys.write(&p, .stage)
        ByteWriting.byte(&p, UInt8(ascii: "\""))
        ByteWriting.literal(&p, family.stage)
        ByteWriting.byte(&p, UInt8(ascii: "\""))
    }

    /// `inc-…,T1046,discovery,` or `,,,` (each cell followed by its comma).
    @inline(__always)
    static func writeCSV(_ p: inout UnsafeMutablePointer<UInt8>, _ incident: IncidentID) {
        guard !incident.isNone else {
            ByteWriting.literal(&p, ",,,")
            return
        }
        let family = incident.family
        ByteWriting.literal(&p, "inc-")
        ByteWriting.hex64(&p, incident.rawValue)
        ByteWriting.byte(&p, UInt8(ascii: ","))
        if let technique = family.technique { ByteWriting.literal(&p, technique) }
        ByteWriting.byte(&p, UInt8(ascii: ","))
        ByteWriting.literal(&p, family.stage)
        ByteWriting.byte(&p, UInt8(ascii: ","))
    }
}
