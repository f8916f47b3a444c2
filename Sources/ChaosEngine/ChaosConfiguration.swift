import TelemetryModel

/// Which anomalies to inject and how often, each as a share of the records.
public struct ChaosConfiguration: Sendable, Hashable {
    /// `CHAOS_MODE`: false turns every kind off.
    public var enabled: Bool
    /// `LATENCY_SPIKE_PROB`: sessions of degraded services (``ServiceIncidents``).
    public var latencySpike: Probability
    /// `ERROR_RATE_PROB`: sessions failing services did not serve (RST, refused, HTTP 5xx).
    public var connectionReset: Probability
    /// `DATA_EXFIL_PROB`: uploads to a rarely seen outside host, over HTTPS or a DNS tunnel.
    public var exfiltration: Probability
    /// `MALFORMED_PROB`: a broken record of one of the ``MalformedKind``s.
    public var malformed: Probability
    /// `DROP_PROB`: the event is lost, leaving a gap in `seq`.
    public var drop: Probability
    public var portScan: PortScanConfiguration
    /// `CHAOS_DIFFICULTY`: `easy` keeps obvious signals (for demos and first detectors).
    public var difficulty = Difficulty.realistic

    /// How hard the anomalies are to tell from normal traffic.
    public enum Difficulty: String, Sendable, Hashable, CaseIterable {
        /// As real traffic has them: detecting them takes context (windows, counts per host).
        case realistic
        /// Obvious from single records: no normal lookalikes (resets, refusals, large uploads,
        /// backups, services slow at their peak), degraded servers ten times slower again and
        /// seconds more on top, failing ones resetting every session they fail (HTTP: after a
        /// 503), uploads 20 times faster (tens of MB a minute), beacons on the second, floods
        /// never answered.
        case easy
    }

    public init(
        enabled: Bool = true,
        latencySpike: Probability = Probability(0.05)!,
        connectionReset: Probability = Probability(0.02)!,
        exfiltration: Probability = Probability(0.01)!,
        malformed: Probability = Probability(0.001)!,
        drop: Probability = Probability(0.001)!,
        portScan: PortScanConfiguration = PortScanConfiguration()
    ) {
        self.enabled = enabled
        self.latencySpike = latencySpike
        self.connectionReset = connectionReset
        self.exfiltration = exfiltration
        self.malformed = malformed
        self.drop = drop
        self.portScan = portScan
    }

    /// No anomalies at all.
    public static let off = ChaosConfiguration(enabled: false)
}

/// Port scans: bursts of sequential destination ports from one source to one target.
public struct PortScanConfiguration: Sendable, Hashable {
    /// `PORT_SCAN_ENABLED`.
    public var enabled: Bool
    /// `PORT_SCAN_INTERVAL_SEC`: on average one burst per interval of event time (each burst
    /// starts at a random point of its interval).
    public var intervalSeconds: Double
    /// `PORT_SCAN_PORTS`: sequential ports per burst.
    public var ports: Int
    /// `PORT_SCAN_SPACING_MS`: event time between two probes of a burst.
    public var spacingMilliseconds: Double

    public init(enabled: Bool = true, intervalSeconds: Double = 20, ports: Int = 100, spacingMilliseconds: Double = 2) {
        self.enabled = enabled
        self.intervalSeconds = intervalSeconds
        self.ports = ports
        self.spacingMilliseconds = spacingMilliseconds
    }

    public static let allowedPorts = 1...65535
}
