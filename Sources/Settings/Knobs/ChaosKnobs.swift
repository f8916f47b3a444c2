/// The anomalies injected, and how often (`chaos.*`). The defaults are the chaos engine's
/// (a test checks that they agree).
public struct ChaosKnobs: Sendable {
    public let enabled: Setting<Bool> = Setting(
        "chaos.enabled", env: "CHAOS_MODE", flag: "--chaos / --no-chaos", default: true, .bool,
        help: "Inject anomalies")
    public let latencySpikeProb: Setting<Double> = Setting(
        "chaos.latency_spike_prob", env: "LATENCY_SPIKE_PROB", flag: "--latency-spike-prob", default: 0.05, .probability(),
        help: "Share of records from sessions of degraded services")
    public let errorRateProb: Setting<Double> = Setting(
        "chaos.error_rate_prob", env: "ERROR_RATE_PROB", flag: "--error-rate-prob", default: 0.02, .probability(),
        help: "Share of records from sessions failing services did not serve: RST, refused, HTTP 5xx")
    public let dataExfilProb: Setting<Double> = Setting(
        "chaos.data_exfil_prob", env: "DATA_EXFIL_PROB", flag: "--data-exfil-prob", default: 0.01, .probability(),
        help: "Share of records that are exfiltration: uploads to a rare outside host")
    public let malformedProb: Setting<Double> = Setting(
        "chaos.malformed_prob", env: "MALFORMED_PROB", flag: "--malformed-prob", default: 0.001, .probability(),
        help: "Probability of a malformed record")
    public let dropProb: Setting<Double> = Setting(
        "chaos.drop_prob", env: "DROP_PROB", flag: "--drop-prob", default: 0.001, .probability(max: 0.5),
        help: "Probability of a dropped event, a gap in seq")
    public let duplicateSettlementProb: Setting<Double> = Setting(
        "chaos.duplicate_settlement_prob", env: "DUPLICATE_SETTLEMENT_PROB", flag: "--duplicate-settlement-prob", default: 0.01, .probability(),
        help: "Transactions: probability of a bet settled twice")
    public let currencyMismatchProb: Setting<Double> = Setting(
        "chaos.currency_mismatch_prob", env: "CURRENCY_MISMATCH_PROB", flag: "--currency-mismatch-prob", default: 0.005, .probability(),
        help: "Transactions: probability of a currency code that is not the amounts' currency")
    public let impossibleWinProb: Setting<Double> = Setting(
        "chaos.impossible_win_prob", env: "IMPOSSIBLE_WIN_PROB", flag: "--impossible-win-prob", default: 0.002, .probability(),
        help: "Transactions: probability of a win beyond the game's maximum payout")
    public let linkFlapProb: Setting<Double> = Setting(
        "chaos.link_flap_prob", env: "LINK_FLAP_PROB", flag: "--link-flap-prob", default: 0.002, .probability(),
        help: "Switches: share of snapshots with the port down")
    public let congestionProb: Setting<Double> = Setting(
        "chaos.congestion_prob", env: "CONGESTION_PROB", flag: "--congestion-prob", default: 0.01, .probability(),
        help: "Switches: share of snapshots in a congestion spike")
    public let errorBurstProb: Setting<Double> = Setting(
        "chaos.error_burst_prob", env: "ERROR_BURST_PROB", flag: "--error-burst-prob", default: 0.005, .probability(),
        help: "Switches: share of snapshots in an error burst")
    public let staleProb: Setting<Double> = Setting(
        "chaos.stale_prob", env: "STALE_PROB", flag: "--stale-prob", default: 0.005, .probability(),
        help: "Switches: share of snapshots reported stale")
    public let missingProb: Setting<Double> = Setting(
        "chaos.missing_prob", env: "MISSING_PROB", flag: "--missing-prob", default: 0.002, .probability(max: 0.5),
        help: "Switches: share of snapshots missing")
    public let difficulty: Setting<String> = Setting(
        "chaos.difficulty", env: "CHAOS_DIFFICULTY", flag: "--difficulty", default: "realistic", .choice(["realistic", "easy"]),
        help: "realistic: detecting the anomalies takes context; easy: obvious signals in single records, for demos (not what a detector should be judged on)")
    public let portScanEnabled: Setting<Bool> = Setting(
        "chaos.port_scan.enabled", env: "PORT_SCAN_ENABLED", flag: "--port-scan / --no-port-scan", default: true, .bool,
        help: "Inject port-scan bursts")
    public let portScanIntervalSec: Setting<Double> = Setting(
        "chaos.port_scan.interval_sec", env: "PORT_SCAN_INTERVAL_SEC", flag: "--scan-interval", default: 20, .positive(max: 1e7),
        help: "Seconds of event time per port-scan burst, on average")
    public let portScanPorts: Setting<Int> = Setting(
        "chaos.port_scan.ports", env: "PORT_SCAN_PORTS", flag: "--scan-ports", default: 100, .int(in: 1...65_535),
        help: "Sequential ports per port-scan burst")
    public let portScanSpacingMs: Setting<Double> = Setting(
        "chaos.port_scan.spacing_ms", env: "PORT_SCAN_SPACING_MS", flag: "--scan-spacing-ms", default: 2, .number(in: 0...60_000),
        help: "Milliseconds of event time between probes of a burst")

    public init() {}
}
