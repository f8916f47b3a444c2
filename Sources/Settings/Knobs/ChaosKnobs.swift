/// The anomalies injected, and how often (`chaos.*`).
public struct ChaosKnobs: Sendable {
    public let enabled: Setting<String?> = Setting(
        "chaos.enabled", env: "CHAOS_MODE", flag: "--chaos / --no-chaos", .text("true or false"),
        help: "Inject anomalies", shownDefault: "true")
    public let latencySpikeProb: Setting<String?> = Setting(
        "chaos.latency_spike_prob", env: "LATENCY_SPIKE_PROB", flag: "--latency-spike-prob", .text("0-1"),
        help: "Share of records from sessions of degraded services", shownDefault: "0.05")
    public let errorRateProb: Setting<String?> = Setting(
        "chaos.error_rate_prob", env: "ERROR_RATE_PROB", flag: "--error-rate-prob", .text("0-1"),
        help: "Share of records from sessions failing services did not serve: RST, refused, HTTP 5xx", shownDefault: "0.02")
    public let dataExfilProb: Setting<String?> = Setting(
        "chaos.data_exfil_prob", env: "DATA_EXFIL_PROB", flag: "--data-exfil-prob", .text("0-1: share of records"),
        help: "Share of records that are exfiltration: uploads to a rare outside host", shownDefault: "0.01")
    public let malformedProb: Setting<String?> = Setting(
        "chaos.malformed_prob", env: "MALFORMED_PROB", flag: "--malformed-prob", .text("0-1"),
        help: "Probability of a malformed record", shownDefault: "0.001")
    public let dropProb: Setting<String?> = Setting(
        "chaos.drop_prob", env: "DROP_PROB", flag: "--drop-prob", .text("0-0.5"),
        help: "Probability of a dropped event, a gap in seq", shownDefault: "0.001")
    public let duplicateSettlementProb: Setting<String?> = Setting(
        "chaos.duplicate_settlement_prob", env: "DUPLICATE_SETTLEMENT_PROB", flag: "--duplicate-settlement-prob", .text("0-1 (transactions)"),
        help: "Transactions: probability of a bet settled twice", shownDefault: "0.01")
    public let currencyMismatchProb: Setting<String?> = Setting(
        "chaos.currency_mismatch_prob", env: "CURRENCY_MISMATCH_PROB", flag: "--currency-mismatch-prob", .text("0-1 (transactions)"),
        help: "Transactions: probability of a currency code that is not the amounts' currency", shownDefault: "0.005")
    public let impossibleWinProb: Setting<String?> = Setting(
        "chaos.impossible_win_prob", env: "IMPOSSIBLE_WIN_PROB", flag: "--impossible-win-prob", .text("0-1 (transactions)"),
        help: "Transactions: probability of a win beyond the game's maximum payout", shownDefault: "0.002")
    public let linkFlapProb: Setting<String?> = Setting(
        "chaos.link_flap_prob", env: "LINK_FLAP_PROB", flag: "--link-flap-prob", .text("0-1 (switch)"),
        help: "Switches: share of snapshots with the port down", shownDefault: "0.002")
    public let congestionProb: Setting<String?> = Setting(
        "chaos.congestion_prob", env: "CONGESTION_PROB", flag: "--congestion-prob", .text("0-1 (switch)"),
        help: "Switches: share of snapshots in a congestion spike", shownDefault: "0.01")
    public let errorBurstProb: Setting<String?> = Setting(
        "chaos.error_burst_prob", env: "ERROR_BURST_PROB", flag: "--error-burst-prob", .text("0-1 (switch)"),
        help: "Switches: share of snapshots in an error burst", shownDefault: "0.005")
    public let staleProb: Setting<String?> = Setting(
        "chaos.stale_prob", env: "STALE_PROB", flag: "--stale-prob", .text("0-1 (switch)"),
        help: "Switches: share of snapshots reported stale", shownDefault: "0.005")
    public let missingProb: Setting<String?> = Setting(
        "chaos.missing_prob", env: "MISSING_PROB", flag: "--missing-prob", .text("0-0.5 (switch)"),
        help: "Switches: share of snapshots missing", shownDefault: "0.002")
    public let difficulty: Setting<String?> = Setting(
        "chaos.difficulty", env: "CHAOS_DIFFICULTY", flag: "--difficulty", .text("realistic, or easy: obvious signals in single records (demos; not what a detector should be judged on)"),
        help: "realistic: detecting the anomalies takes context; easy: obvious signals in single records, for demos", shownDefault: "realistic")
    public let portScanEnabled: Setting<String?> = Setting(
        "chaos.port_scan.enabled", env: "PORT_SCAN_ENABLED", flag: "--port-scan / --no-port-scan", .text("true or false"),
        help: "Inject port-scan bursts", shownDefault: "true")
    public let portScanIntervalSec: Setting<String?> = Setting(
        "chaos.port_scan.interval_sec", env: "PORT_SCAN_INTERVAL_SEC", flag: "--scan-interval", .text("seconds of event time > 0"),
        help: "Seconds of event time per port-scan burst, on average", shownDefault: "20")
    public let portScanPorts: Setting<String?> = Setting(
        "chaos.port_scan.ports", env: "PORT_SCAN_PORTS", flag: "--scan-ports", .text("1-65535"),
        help: "Sequential ports per port-scan burst", shownDefault: "100")
    public let portScanSpacingMs: Setting<String?> = Setting(
        "chaos.port_scan.spacing_ms", env: "PORT_SCAN_SPACING_MS", flag: "--scan-spacing-ms", .text("0-60000"),
        help: "Milliseconds of event time between probes of a burst", shownDefault: "2")

    public init() {}
}
