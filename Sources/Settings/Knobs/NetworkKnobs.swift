/// The simulated network: hosts, services, daily load and normal background (`network.*`).
/// Unset, each keeps the network's own value (the built-in network's, or what `network.roles`
/// declares): the defaults shown are the built-in network's (a test checks that they agree).
public struct NetworkKnobs: Sendable {
    public let clients: Setting<[String]?> = Setting(
        "network.clients", env: "NETWORK_CLIENTS", flag: "--clients", .list("CIDRs, a workstation role of up to 4096 hosts"),
        help: "Shorthand: client networks, comma-separated CIDRs", shownDefault: "10.1.0.0/16,10.2.0.0/20 with the shorthand")
    public let services: Setting<[String]?> = Setting(
        "network.services", env: "NETWORK_SERVICES", flag: "--service", .list("NAME=CIDR[+CIDR]:PROTO/PORT[+...][<SOURCE[+...]][*WEIGHT]"),
        help: "Shorthand: a service; repeat to replace the built-in network", shownDefault: "the built-in network (examples/network.yaml)")
    public let window: Setting<Double?> = Setting(
        "network.window", env: "NETWORK_WINDOW", flag: "--window", .duration(in: 1...3_600),
        help: "Flows: aggregation window; a longer session makes one record per window", shownDefault: "60s")
    public let domain: Setting<String?> = Setting(
        "network.domain", env: "NETWORK_DOMAIN", .text("a DNS suffix"),
        help: "The suffix of internal host names", shownDefault: "internal.prod")
    public let loadCurve: Setting<String?> = Setting(
        "network.load.curve", env: "LOAD_CURVE", flag: "--load-curve", .text("diurnal or off (flat, for every role)"),
        help: "Flows: daily and weekly load curve", shownDefault: "diurnal")
    public let loadPeakHour: Setting<Double?> = Setting(
        "network.load.peak_hour", env: "LOAD_PEAK_HOUR", flag: "--peak-hour", .number(in: 0...23.999),
        help: "Flows: local hour of the busiest time of day, for every role without its own",
        shownDefault: "each role kind's (14 workstations, 20 servers and internet users)")
    public let loadPeakToTrough: Setting<Double?> = Setting(
        "network.load.peak_to_trough", env: "LOAD_PEAK_TO_TROUGH", flag: "--peak-to-trough", .number(in: 1...1_000),
        help: "Flows: busiest over quietest hour, for every role without its own", shownDefault: "each role kind's (6 workstations, 3 servers)")
    public let loadWeekendFactor: Setting<Double?> = Setting(
        "network.load.weekend_factor", env: "LOAD_WEEKEND_FACTOR", flag: "--weekend-factor", .number(in: 0.01...100),
        help: "Flows: weekend activity relative to a weekday, for every role without its own",
        shownDefault: "each role kind's (0.2 workstations, 1.15 servers)")
    public let loadTimezone: Setting<String?> = Setting(
        "network.load.timezone", env: "LOAD_TIMEZONE", flag: "--timezone", .text("UTC, +HH:MM, -5, or a zone name such as America/New_York"),
        help: "Flows: time zone of the load curves", shownDefault: "UTC")
    public let backgroundEnabled: Setting<Bool> = Setting(
        "network.background.enabled", env: "BACKGROUND_ENABLED", default: true, .bool,
        help: "false turns off every normal lookalike below")
    public let backgroundRefused: Setting<Double?> = Setting(
        "network.background.refused", env: "BACKGROUND_REFUSED", .number(in: 0...0.5),
        help: "Share of TCP sessions refused (SYN, RST)", shownDefault: "0.004")
    public let backgroundResets: Setting<Double?> = Setting(
        "network.background.resets", env: "BACKGROUND_RESETS", .number(in: 0...0.5),
        help: "Share of TCP sessions ended by RST", shownDefault: "0.03")
    public let backgroundTimeouts: Setting<Double?> = Setting(
        "network.background.timeouts", env: "BACKGROUND_TIMEOUTS", .number(in: 0...0.5),
        help: "Share of SYNs and DNS queries never answered", shownDefault: "0.002")
    public let backgroundInternetNoise: Setting<Double?> = Setting(
        "network.background.internet_noise", env: "BACKGROUND_INTERNET_NOISE", .number(in: 0...0.5),
        help: "Share of records that are internet background noise", shownDefault: "0.01")
    public let backgroundNoiseSources: Setting<Int?> = Setting(
        "network.background.noise_sources", env: "BACKGROUND_NOISE_SOURCES", .int(in: 1...1_000_000),
        help: "Outside hosts the noise comes from", shownDefault: "20000")
    public let backgroundBackupHour: Setting<String?> = Setting(
        "network.background.backup_hour", env: "BACKGROUND_BACKUP_HOUR", .text("an hour 0-23.99, or off"),
        help: "Local hour of the nightly backups of db hosts to object storage", shownDefault: "2")
    public let backgroundBackupSize: Setting<Int?> = Setting(
        "network.background.backup_size", env: "BACKGROUND_BACKUP_SIZE", .size(in: 1 << 20...1 << 43, example: "2GB"),
        help: "Bytes of one backup", shownDefault: "2000000000")
    public let backgroundLargeUploads: Setting<Double?> = Setting(
        "network.background.large_uploads", env: "BACKGROUND_LARGE_UPLOADS", .number(in: 0...0.5),
        help: "Share of workstation sessions to object storage that upload 5-500 MB", shownDefault: "0.02")
    public let backgroundSlowAtPeak: Setting<Double?> = Setting(
        "network.background.slow_at_peak", env: "BACKGROUND_SLOW_AT_PEAK", .number(in: 1...100),
        help: "How much slower services answer at their daily peak", shownDefault: "3")
    public let backgroundDnsTxt: Setting<Double?> = Setting(
        "network.background.dns_txt", env: "BACKGROUND_DNS_TXT", .number(in: 0...0.5),
        help: "Share of DNS queries for TXT records", shownDefault: "0.03")
    public let backgroundDnsLongNames: Setting<Double?> = Setting(
        "network.background.dns_long_names", env: "BACKGROUND_DNS_LONG_NAMES", .number(in: 0...0.5),
        help: "Share of DNS queries for long names", shownDefault: "0.05")
    public let backgroundVulnerabilityScanHour: Setting<String?> = Setting(
        "network.background.vulnerability_scan.hour", env: "BACKGROUND_VULN_SCAN_HOUR", .text("an hour 0-23.99, or off"),
        help: "Local hour of the authorised scanner's daily run", shownDefault: "3")
    public let backgroundVulnerabilityScanPorts: Setting<Int?> = Setting(
        "network.background.vulnerability_scan.ports", env: "BACKGROUND_VULN_SCAN_PORTS", .int(in: 1...65_535),
        help: "Ports it probes on each server", shownDefault: "200")
    public let backgroundVulnerabilityScanSpacingMs: Setting<Double?> = Setting(
        "network.background.vulnerability_scan.spacing_ms", env: "BACKGROUND_VULN_SCAN_SPACING_MS", .number(in: 0.1...60_000),
        help: "Milliseconds between its probes", shownDefault: "15")
    public let exfilTargets: Setting<[String]?> = Setting(
        "network.exfil_targets", env: "NETWORK_EXFIL_TARGETS", .list("CIDR networks"),
        help: "Outside networks exfiltration goes to", shownDefault: "203.0.113.0/24,198.51.100.0/24")
    public let scanSources: Setting<[String]?> = Setting(
        "network.scan_sources", env: "NETWORK_SCAN_SOURCES", .list("CIDR networks"),
        help: "Networks port scans come from", shownDefault: "192.168.1.99/32,45.33.32.0/24")

    public init() {}
}
