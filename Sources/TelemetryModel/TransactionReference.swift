/// The reference data transactions are drawn from (the message producer's `data/` directory): currencies with
/// their rates, game vendors, game categories, and the agent hierarchy. Shipped as JSON
/// (`examples/reference/transactions.json`, built in) and replaceable by a file of the same shape.
public struct TransactionReference: Sendable, Hashable, Codable {
    public struct Currency: Sendable, Hashable, Codable {
        public var id: Int
        public var code: String
        /// US dollars per unit.
        public var usdRate: Double
        /// Share of bets placed in it (relative).
        public var weight: Double

        enum CodingKeys: String, CodingKey {
            case id, code, weight
            case usdRate = "usd_rate"
        }
    }

    public struct Vendor: Sendable, Hashable, Codable {
        public var id: Int
        public var code: String
        /// Vendor lines are numbered `id * 100 + 1 ... id * 100 + lines`.
        public var lines: Int
        /// Ids of the game categories it offers.
        public var categories: [Int]
        public var weight: Double
    }

    public struct GameCategory: Sendable, Hashable, Codable {
        public var id: Int
        public var name: String
        /// Share of the stake returned to players on average (0.95 = 95%).
        public var rtp: Double
        /// The largest payout a game of the category allows, as a multiple of the bet.
        public var maxMultiplier: Double
        /// Chance that a bet wins something.
        public var winChance: Double

        enum CodingKeys: String, CodingKey {
            case id, name, rtp
            case maxMultiplier = "max_multiplier"
            case winChance = "win_chance"
        }
    }

    public struct Agent: Sendable, Hashable, Codable {
        public var agentID: Int
        public var masterAgentID: Int
        public var houseID: Int
        /// Code of the currency its players bet in.
        public var currency: String
        public var weight: Double

        enum CodingKeys: String, CodingKey {
            case weight, currency
            case agentID = "agent_id"
            case masterAgentID = "master_agent_id"
            case houseID = "house_id"
        }
    }

    public var currencies: [Currency]
    public var vendors: [Vendor]
    public var gameCategories: [GameCategory]
    public var agents: [Agent]

    enum CodingKeys: String, CodingKey {
        case currencies, vendors, agents
        case gameCategories = "game_categories"
    }

    public init(currencies: [Currency], vendors: [Vendor], gameCategories: [GameCategory], agents: [Agent]) {
        self.currencies = currencies
        self.vendors = vendors
        self.gameCategories = gameCategories
        self.agents = agents
    }

    /// Problems that make the data unusable, each naming the entry (empty when it is fine).
    public var problems: [String] {
        var problems: [String] = []
        if currencies.isEmpty { problems.append("currencies: none") }
        if vendors.isEmpty { problems.append("vendors: none") }
        if gameCategories.isEmpty { problems.append("game_categories: none") }
        if agents.isEmpty { problems.append("agents: none") }
        if currencies.count > 255 || vendors.count > 255 || gameCategories.count > 255 || agents.count > 65_535 {
            problems.append("too many entries (at most 255 currencies, vendors and categories, 65535 agents)")
        }
        let codes = Set(currencies.map(\.code))
        let categoryIDs = Set(gameCategories.map(\.id))
        for c in currencies where !(c.usdRate > 0) || !(c.weight >= 0) || c.code.isEmpty {
            problems.append("currency \(c.code): usd_rate must be > 0, weight >= 0, code non-empty")
        }
        for v in vendors where v.lines < 1 || v.categories.isEmpty || !v.categories.allSatisfy(categoryIDs.contains) || !(v.weight >= 0) {
            problems.append("vendor \(v.code): lines >= 1, weight >= 0, categories among the game_categories ids")
        }
        for g in gameCategories where !(g.rtp > 0 && g.rtp < 1.5) || !(g.maxMultiplier >= 1) || !(g.winChance > 0 && g.winChance <= 1) {
            problems.append("game category \(g.name): rtp in (0, 1.5), max_multiplier >= 1, win_chance in (0, 1]")
        }
        for a in agents where !codes.contains(a.currency) || !(a.weight >= 0) {
            problems.append("agent \(a.agentID): currency \(a.currency) must be one of the currencies, weight >= 0")
        }
        if currencies.count < 2 { problems.append("currencies: at least 2 (a currency mismatch needs another one)") }
        return problems
    }
}
