import TelemetryModel

/// The reference data's strings laid out for one output format (escaped for JSON, or for CSV).
struct TransactionTables: Sendable {
    let vendorCodes: StringTable
    let currencyCodes: StringTable
    let categoryNames: StringTable
    let generatorID: StringTable
    let vendorIDs: [Int64]
    let currencyIDs: [Int64]
    let categoryIDs: [Int64]
    let agents: [(house: Int64, master: Int64, agent: Int64)]

    init(_ reference: TransactionReference, generatorID: String, escape: (String) -> [UInt8]) {
        vendorCodes = StringTable(reference.vendors.map(\.code), escape: escape)
        currencyCodes = StringTable(reference.currencies.map(\.code), escape: escape)
        categoryNames = StringTable(reference.gameCategories.map(\.name), escape: escape)
        self.generatorID = StringTable([generatorID], escape: escape)
        vendorIDs = reference.vendors.map { Int64($0.id) }
        currencyIDs = reference.currencies.map { Int64($0.id) }
        categoryIDs = reference.gameCategories.map { Int64($0.id) }
        agents = reference.agents.map { (Int64($0.houseID), Int64($0.masterAgentID), Int64($0.agentID)) }
    }

    /// The most bytes the strings of one record take.
    var maxRecordBytes: Int {
        2 * vendorCodes.maxLength + currencyCodes.maxLength + categoryNames.maxLength + generatorID.maxLength
    }
}
