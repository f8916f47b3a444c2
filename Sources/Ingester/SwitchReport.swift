/// One switch's metrics as the ingester keeps them: the Go ingester's three, and the interface
/// counters when the sender has them (our generator sends them; the Go switch generator does not).
public struct SwitchReport: Sendable, Hashable {
    public var switchID: String
    /// Unix seconds of the snapshot.
    public var timestamp: Int64
    public var bandwidthMbps: Double
    public var latencyMs: Double
    public var packetErrors: Int64
    public var linkSpeedMbps: Int64?
    public var utilizationPct: Double?
    public var drops: Int64?
    public var crcErrors: Int64?
    public var operStatus: String?
    /// The generator's ground-truth label of the snapshot (`normal`, `link_flap`, ...), when sent.
    public var label: String?

    /// The labels a report may carry.
    public static let labels: Set<String> = ["normal", "link_flap", "congestion_spike", "error_burst", "stale"]

    public init(
        switchID: String, timestamp: Int64, bandwidthMbps: Double, latencyMs: Double, packetErrors: Int64,
        linkSpeedMbps: Int64? = nil, utilizationPct: Double? = nil, drops: Int64? = nil, crcErrors: Int64? = nil, operStatus: String? = nil,
        label: String? = nil
    ) {
        self.switchID = switchID
        self.timestamp = timestamp
        self.bandwidthMbps = bandwidthMbps
        self.latencyMs = latencyMs
        self.packetErrors = packetErrors
        self.linkSpeedMbps = linkSpeedMbps
        self.utilizationPct = utilizationPct
        self.drops = drops
        self.crcErrors = crcErrors
        self.operStatus = operStatus
        self.label = label
    }

    /// A metric's value, nil when this report does not have it.
    public func value(of metric: Metric) -> MetricValue? {
        switch metric {
        case .bandwidthMbps: .number(bandwidthMbps)
        case .latencyMs: .number(latencyMs)
        case .packetErrors: .integer(packetErrors)
        case .linkSpeedMbps: linkSpeedMbps.map { .integer($0) }
        case .utilizationPct: utilizationPct.map { .number($0) }
        case .drops: drops.map { .integer($0) }
        case .crcErrors: crcErrors.map { .integer($0) }
        case .operStatus: operStatus.map { .text($0) }
        }
    }

    /// The number in `sw<number>`, for ordering (switches without one sort after, by name).
    var switchNumber: Int? {
        guard switchID.hasPrefix("sw") else { return nil }
        return Int(switchID.dropFirst(2))
    }
}

/// The metrics a report can have, by their wire names.
public enum Metric: String, Sendable, CaseIterable {
    case bandwidthMbps = "bandwidth_mbps"
    case latencyMs = "latency_ms"
    case packetErrors = "packet_errors"
    case linkSpeedMbps = "link_speed_mbps"
    case utilizationPct = "utilization_pct"
    case drops
    case crcErrors = "crc_errors"
    case operStatus = "oper_status"

    /// The Go ingester's three (what `ListMetrics` lists).
    public static let original: [Metric] = [.bandwidthMbps, .latencyMs, .packetErrors]
}

/// A metric's value: JSON number (integer or not) or string.
public enum MetricValue: Sendable, Hashable {
    case number(Double)
    case integer(Int64)
    case text(String)
}

extension SwitchReport {
    /// Whether `id` is a switch id the ingester accepts: 1-64 of `A-Z a-z 0-9 _ . : -`, starting
    /// with a letter or digit. Nothing else can reach a Redis key or a SCAN pattern (`*`, `?`,
    /// `[`, `/`, spaces and control characters cannot).
    public static func isValidSwitchID(_ id: String) -> Bool {
        let bytes = id.utf8
        guard (1...64).contains(bytes.count), let first = bytes.first, isAlphanumeric(first) else { return false }
        return bytes.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: "-") }
    }

    private static func isAlphanumeric(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
    }

    /// Sorts reports as people read switch names: sw2 before sw10.
    static func naturalOrder(_ a: SwitchReport, _ b: SwitchReport) -> Bool {
        switch (a.switchNumber, b.switchNumber) {
        case let (x?, y?): x < y
        case (_?, nil): true
        case (nil, _?): false
        case (nil, nil): a.switchID < b.switchID
        }
    }
}
