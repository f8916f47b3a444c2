import TelemetryModel

/// The vocabulary's strings laid out for one output format (escaped for JSON, or for CSV).
struct VocabularyTables: Sendable {
    let hostPrefixes: StringTable
    let hostSuffixes: StringTable
    let environments: StringTable
    let regions: StringTable
    let generatorID: StringTable

    init(_ vocabulary: FlowVocabulary, escape: (String) -> [UInt8], hostEscape: (String) -> [UInt8]) {
        hostPrefixes = StringTable(vocabulary.hosts.map(\.prefix), escape: hostEscape)
        hostSuffixes = StringTable(vocabulary.hosts.map(\.suffix), escape: hostEscape)
        environments = StringTable(vocabulary.environments, escape: escape)
        regions = StringTable(vocabulary.regions, escape: escape)
        generatorID = StringTable([vocabulary.generatorID], escape: escape)
    }

    /// The most bytes the strings of one record take.
    var maxRecordBytes: Int {
        2 * (hostPrefixes.maxLength + hostSuffixes.maxLength) + environments.maxLength + regions.maxLength + generatorID.maxLength
    }

    /// `prefix[-number]suffix`.
    @inline(__always)
    func writeHost(_ p: inout UnsafeMutablePointer<UInt8>, _ e: FlowEvent) {
        hostPrefixes.write(&p, Int(e.hostIndex))
        if e.hostNumber != 0 {
            ByteWriting.byte(&p, UInt8(ascii: "-"))
            ByteWriting.unsigned(&p, UInt64(e.hostNumber))
        }
        hostSuffixes.write(&p, Int(e.hostIndex))
    }
}
