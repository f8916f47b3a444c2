/// Fraud-style chaos for transactions, each kind drawn independently per record.
public struct TransactionChaos: Sendable, Hashable {
    public var enabled: Bool
    /// A bet settled a second time: same external id, bet id, round and amounts, new `id`.
    public var duplicateSettlement: Probability
    /// `currency_code` names another currency than `currency_id` and the amounts.
    public var currencyMismatch: Probability
    /// A win far above what the game category can pay (10-100x its maximum multiplier).
    public var impossibleWinRatio: Probability

    public init(
        enabled: Bool = true, duplicateSettlement: Probability = Probability(0.01)!,
        currencyMismatch: Probability = Probability(0.005)!, impossibleWinRatio: Probability = Probability(0.002)!
    ) {
        self.enabled = enabled
        self.duplicateSettlement = duplicateSettlement
        self.currencyMismatch = currencyMismatch
        self.impossibleWinRatio = impossibleWinRatio
    }
}
