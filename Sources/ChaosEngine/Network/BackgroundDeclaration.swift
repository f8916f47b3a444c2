/// Normal traffic that looks like trouble, as real networks have it. Everything here is labelled
/// `normal`, so that no single field gives an anomaly away.
public struct BackgroundDeclaration: Sendable, Hashable {
    /// Share of TCP sessions refused by the server (SYN, then RST+ACK: nothing listens there).
    public var refusedShare: Double
    /// Share of TCP sessions one side ends with RST after exchanging data.
    public var resetShare: Double
    /// Share of TCP sessions whose SYN is never answered (the host is gone).
    public var timeoutShare: Double
    /// Share of records that are internet background noise: probes from many outside hosts to
    /// the public-facing roles, most REJECTed by their security groups.
    public var internetNoiseShare: Double
    /// Outside hosts the noise comes from.
    public var noiseSources: Int
    /// Local hour of the nightly backup of every db host to object storage (nil: no backups).
    public var backupHour: Double?
    /// Bytes of one backup (each host draws its own around this).
    public var backupBytes: Double
    /// Share of workstation sessions to object storage that are large uploads (5-500 MB).
    public var largeUploadShare: Double
    /// How much slower services answer at their daily peak than at the trough (1: never slower).
    public var slowAtPeak: Double
    /// Share of DNS queries that are TXT lookups (larger answers).
    public var dnsTXTShare: Double
    /// Share of DNS queries for long names (CDNs, telemetry endpoints).
    public var dnsLongNameShare: Double
    /// Local hour of the daily run of the authorised vulnerability scanner (nil: none).
    public var vulnerabilityScanHour: Double?
    /// Ports the scanner probes on each target host.
    public var vulnerabilityScanPorts: Int
    /// Milliseconds between two of its probes.
    public var vulnerabilityScanSpacingMs: Double

    public init(
        refusedShare: Double = 0.004, resetShare: Double = 0.03, timeoutShare: Double = 0.002, internetNoiseShare: Double = 0.01,
        noiseSources: Int = 20_000, backupHour: Double? = 2, backupBytes: Double = 2e9, largeUploadShare: Double = 0.02,
        slowAtPeak: Double = 3, dnsTXTShare: Double = 0.03, dnsLongNameShare: Double = 0.05, vulnerabilityScanHour: Double? = 3,
        vulnerabilityScanPorts: Int = 200, vulnerabilityScanSpacingMs: Double = 15
    ) {
        self.refusedShare = refusedShare
        self.resetShare = resetShare
        self.timeoutShare = timeoutShare
        self.internetNoiseShare = internetNoiseShare
        self.noiseSources = noiseSources
        self.backupHour = backupHour
        self.backupBytes = backupBytes
        self.largeUploadShare = largeUploadShare
        self.slowAtPeak = slowAtPeak
        self.dnsTXTShare = dnsTXTShare
        self.dnsLongNameShare = dnsLongNameShare
        self.vulnerabilityScanHour = vulnerabilityScanHour
        self.vulnerabilityScanPorts = vulnerabilityScanPorts
        self.vulnerabilityScanSpacingMs = vulnerabilityScanSpacingMs
    }

    /// No lookalikes at all.
    public static let none = BackgroundDeclaration(
        refusedShare: 0, resetShare: 0, timeoutShare: 0, internetNoiseShare: 0, backupHour: nil, largeUploadShare: 0, slowAtPeak: 1,
        dnsTXTShare: 0, dnsLongNameShare: 0, vulnerabilityScanHour: nil
    )
}
