/// The simulated network: hosts, services, daily load and normal background (`network.*`).
public struct NetworkKnobs: Sendable {
    public let clients: Setting<[String]?> = Setting(
        "network.clients", env: "NETWORK_CLIENTS", flag: "--clients", .list("shorthand: client networks (CIDRs), a workstation role of up to 4096 hosts"),
        help: "Client networks, comma-separated CIDRs", shownDefault: "10.1.0.0/16,10.2.0.0/20 with the shorthand")
    public let services: Setting<[String]?> = Setting(
        "network.services", env: "NETWORK_SERVICES", flag: "--service", .list("shorthand: NAME=CIDR[+CIDR]:PROTO/PORT[+...][<SOURCE[+...]][*WEIGHT]"),
        help: "A service NAME=CIDR:PROTO/PORT[+...][<SOURCE][*WEIGHT]; repeat to replace the built-in network", shownDefault: "the built-in network (examples/network.yaml)")
    public let window: Setting<String?> = Setting(
        "network.window", env: "NETWORK_WINDOW", flag: "--window", .text("aggregation window, 1s-1h: a longer session makes one record per window"),
        help: "Flows: aggregation window; longer sessions make a record per window", shownDefault: "60s")
    public let domain: Setting<String?> = Setting(
        "network.domain", env: "NETWORK_DOMAIN", .text("the suffix of internal host names"),
        help: "", shownDefault: "internal.prod")
    public let loadCurve: Setting<String?> = Setting(
        "network.load.curve", env: "LOAD_CURVE", flag: "--load-curve", .text("diurnal or off (flat, for every role)"),
        help: "Flows: daily and weekly load curve: diurnal or off", shownDefault: "diurnal")
    public let loadPeakHour: Setting<String?> = Setting(
        "network.load.peak_hour", env: "LOAD_PEAK_HOUR", flag: "--peak-hour", .text("local hour 0-23.99"),
        help: "Flows: local hour of the busiest time of day, for every role without its own (0-23.99)", shownDefault: "each role kind's (14 workstations, 20 servers and internet users)")
    public let loadPeakToTrough: Setting<String?> = Setting(
        "network.load.peak_to_trough", env: "LOAD_PEAK_TO_TROUGH", flag: "--peak-to-trough", .text("1-1000"),
        help: "Flows: busiest over quietest hour, for every role without its own (>= 1)", shownDefault: "each role kind's (6 workstations, 3 servers)")
    public let loadWeekendFactor: Setting<String?> = Setting(
        "network.load.weekend_factor", env: "LOAD_WEEKEND_FACTOR", flag: "--weekend-factor", .text("0.01-100"),
        help: "Flows: weekend activity relative to a weekday, for every role without its own", shownDefault: "each role kind's (0.2 workstations, 1.15 servers)")
    public let loadTimezone: Setting<String?> = Setting(
        "network.load.timezone", env: "LOAD_TIMEZONE", flag: "--timezone", .text("UTC, +HH:MM, -5, or a zone name such as America/New_York"),
        help: "Flows: time zone of the load curves: UTC, +02:00, or a zone name such as America/New_York", shownDefault: "UTC")
    public let backgroundEnabled: Setting<String?> = Setting(
        "network.background.enabled", env: "BACKGROUND_ENABLED", .text("false turns off every normal lookalike below"),
        help: "", shownDefault: "true")
    public let backgroundRefused: Setting<String?> = Setting(
        "network.background.refused", env: "BACKGROUND_REFUSED", .text("share of TCP sessions refused (SYN, RST), 0-0.5"),
        help: "", shownDefault: "0.004")
    public let backgroundResets: Setting<String?> = Setting(
        "network.background.resets", env: "BACKGROUND_RESETS", .text("share of TCP sessions ended by RST, 0-0.5"),
        help: "", shownDefault: "0.03")
    public let backgroundTimeouts: Setting<String?> = Setting(
        "network.background.timeouts", env: "BACKGROUND_TIMEOUTS", .text("share of SYNs and DNS queries never answered, 0-0.5"),
        help: "", shownDefault: "0.002")
    public let backgroundInternetNoise: Setting<String?> = Setting(
        "network.background.internet_noise", env: "BACKGROUND_INTERNET_NOISE", .text("share of records that are internet background noise, 0-0.5"),
        help: "", shownDefault: "0.01")
    public let backgroundNoiseSources: Setting<String?> = Setting(
        "network.background.noise_sources", env: "BACKGROUND_NOISE_SOURCES", .text("outside hosts the noise comes from, 1-1000000"),
        help: "", shownDefault: "20000")
    public let backgroundBackupHour: Setting<String?> = Setting(
        "network.background.backup_hour", env: "BACKGROUND_BACKUP_HOUR", .text("local hour of the nightly backups of db hosts to object storage, or off"),
        help: "", shownDefault: "2")
    public let backgroundBackupSize: Setting<String?> = Setting(
        "network.background.backup_size", env: "BACKGROUND_BACKUP_SIZE", .text("bytes of one backup, 1MB-8TB"),
        help: "", shownDefault: "2GB")
    public let backgroundLargeUploads: Setting<String?> = Setting(
        "network.background.large_uploads", env: "BACKGROUND_LARGE_UPLOADS", .text("share of workstation sessions to object storage that upload 5-500 MB, 0-0.5"),
        help: "", shownDefault: "0.02")
    public let backgroundSlowAtPeak: Setting<String?> = Setting(
        "network.background.slow_at_peak", env: "BACKGROUND_SLOW_AT_PEAK", .text("how much slower services answer at their daily peak, 1-100"),
        help: "", shownDefault: "3")
    public let backgroundDnsTxt: Setting<String?> = Setting(
        "network.background.dns_txt", env: "BACKGROUND_DNS_TXT", .text("share of DNS queries for TXT records, 0-0.5"),
        help: "", shownDefault: "0.03")
    public let backgroundDnsLongNames: Setting<String?> = Setting(
        "network.background.dns_long_names", env: "BACKGROUND_DNS_LONG_NAMES", .text("share of DNS queries for long names, 0-0.5"),
        help: "", shownDefault: "0.05")
    public let backgroundVulnerabilityScanHour: Setting<String?> = Setting(
        "network.background.vulnerability_scan.hour", env: "BACKGROUND_VULN_SCAN_HOUR", .text("local hour of the authorised scanner's daily run, or off"),
        help: "", shownDefault: "3")
    public let backgroundVulnerabilityScanPorts: Setting<String?> = Setting(
        "network.background.vulnerability_scan.ports", env: "BACKGROUND_VULN_SCAN_PORTS", .text("ports it probes on each server, 1-65535"),
        help: "", shownDefault: "200")
    public let backgroundVulnerabilityScanSpacingMs: Setting<String?> = Setting(
        "network.background.vulnerability_scan.spacing_ms", env: "BACKGROUND_VULN_SCAN_SPACING_MS", .text("milliseconds between its probes, 0.1-60000"),
        help: "", shownDefault: "15")
    public let exfilTargets: Setting<[String]?> = Setting(
        "network.exfil_targets", env: "NETWORK_EXFIL_TARGETS", .list("CIDR networks"),
        help: "", shownDefault: "203.0.113.0/24,198.51.100.0/24")
    public let scanSources: Setting<[String]?> = Setting(
        "network.scan_sources", env: "NETWORK_SCAN_SOURCES", .list("CIDR networks"),
        help: "", shownDefault: "192.168.1.99/32,45.33.32.0/24")

    public init() {}
}
