/// One settled bet (the transactions dataset, the message producer's), with its ground truth (`anomalies`)
/// and lineage (`seq`). Names, codes and ids come from the ``TransactionReference`` by index, so
/// a buffer of transactions never allocates per record.
///
/// Amounts are fixed-point micro-units (six decimal places, as the message producer's decimal strings).
public struct Transaction: Sendable, Hashable {
    /// Position in the generator's sequence (the number in `id`).
    public var seq: Int64
    /// Unix milliseconds, UTC, of the settlement (`settled_at`).
    public var settledAt: Int64
    /// The bet's number in `external_transaction_id`, `vendor_bet_id` and `round_id` (a duplicate
    /// settlement repeats its original's).
    public var betNumber: Int64
    /// Index into ``TransactionReference/vendors``.
    public var vendor: UInt8
    public var vendorLineID: Int32
    /// Index into ``TransactionReference/gameCategories``.
    public var gameCategory: UInt8
    /// Index into ``TransactionReference/agents`` (house, master agent, agent).
    public var agent: UInt16
    /// Index into ``TransactionReference/currencies`` of the amounts (`currency_id`).
    public var currency: UInt8
    /// Index of the currency written in `currency_code` (another one on a currency mismatch).
    public var currencyCode: UInt8
    public var betMicros: Int64
    public var winMicros: Int64
    /// US dollars per unit of the currency, times 10^6 (`exchange_rate`).
    public var rateMicros: Int64
    public var betUSDMicros: Int64
    public var winLossUSDMicros: Int64
    public var anomalies: AnomalySet

    public init() {
        seq = 0
        settledAt = 0
        betNumber = 0
        vendor = 0
        vendorLineID = 0
        gameCategory = 0
        agent = 0
        currency = 0
        currencyCode = 0
        betMicros = 0
        winMicros = 0
        rateMicros = 0
        betUSDMicros = 0
        winLossUSDMicros = 0
        anomalies = []
    }

    /// `win_amount - bet_amount`, the player's result.
    @inline(__always)
    public var winLossMicros: Int64 { winMicros - betMicros }
}
