import Foundation
import GeneratorRuntime
import Settings
import TelemetryModel
import Testing

@Suite struct TransactionReferenceTests {
    static let examplePath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples/reference/transactions.json").path

    @Test("the built-in reference data is the shipped JSON file, and it is consistent")
    func builtinIsTheShippedFile() throws {
        let shipped = try TransactionReference.load(path: Self.examplePath, key: "generator.reference_data")
        #expect(shipped == TransactionReference.builtin)
        #expect(shipped.problems.isEmpty)
        #expect(shipped.vendors.map(\.code) == ["PRAGMATIC", "EVOLUTION", "NETENT", "MICROGAMING", "PLAYTECH", "EGT", "PLAYSON"])
        #expect(shipped.currencies.map(\.code) == ["USDT", "CNY", "USD", "BTC", "ETH", "EUR", "JPY", "GBP"])
        #expect(shipped.gameCategories.map(\.id) == Array(1...6))
    }

    @Test("inconsistent reference data is refused with the entries named")
    func problemsNameTheEntry() {
        var reference = TransactionReference.builtin
        reference.agents[0].currency = "XYZ"
        reference.vendors[1].categories = [99]
        let problems = reference.problems
        #expect(problems.contains { $0.contains("agent \(reference.agents[0].agentID)") && $0.contains("XYZ") })
        #expect(problems.contains { $0.contains("vendor EVOLUTION") })
    }
}
