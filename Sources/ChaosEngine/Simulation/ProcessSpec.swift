/// A source of sessions, compiled for the whole network: the traffic of one edge of the
/// declaration, or one family of anomalies or background traffic. Its sessions start at the hosts
/// of `sources`, each shard drawing its own share.
public struct ProcessSpec: Sendable {
    public enum Kind: Sendable, Hashable {
        /// Sessions of one traffic edge (index into ``FlowSimulation/edges``).
        case edge(Int)
        /// Large uploads to an outside host (`DATA_EXFIL_PROB`).
        case exfiltration
        /// Bursts of probes from an outside scanner to one host (the port-scan settings).
        case portScan
        /// Background noise from the internet to public-facing hosts (normal).
        case internetNoise
        /// The authorised scanner's daily run over every server (normal).
        case vulnerabilityScan
        /// Every db host's nightly backup to object storage (normal).
        case backup
        /// The incidents of one scenario entry (index into ``FlowSimulation/scenarioPlans``).
        case scenario(Int)
    }

    public var kind: Kind
    /// Roles whose hosts start these sessions.
    public var sources: [Int]
    public var curve: LoadCurve
    /// The curve by minute (what the arrivals read).
    public var table: CurveTable
    /// Sessions per simulated millisecond over the whole network when the curve is 1 (Poisson
    /// kinds).
    public var ratePerMs: Double
    /// Local hour of a daily run (scheduled kinds: one session per source host per day).
    public var dailyHour: Double?
    /// Whether the sessions include long-lived ones worth starting the run with (warm start).
    public var hasLongSessions: Bool
}

/// A traffic edge: sessions from the hosts of one role to those of another, on some ports.
public struct TrafficEdge: Sendable {
    public var from: Int
    public var to: Int
    public var endpoints: [ServiceEndpoint] {
        didSet { endpointTable = WeightedTable(weights: endpoints.map(\.popularity)) }
    }
    /// Which endpoint a session uses (by ``ServiceEndpoint/popularity``).
    public private(set) var endpointTable: WeightedTable
    /// Share of all normal sessions.
    public var share: Double
    /// Expected records per session (calibrated).
    public var recordsPerSession: Double
    /// Share of its sessions that are TCP.
    public var tcpShare: Double
    /// Long-lived sessions running at any moment per session started per millisecond (their mean
    /// duration times their share), and which endpoint a running one uses.
    public var longMillisecondsPerSession: Double = 0
    public var runningEndpoints: WeightedTable? = nil
    public var runningWeights: [Double]? = nil

    public init(from: Int, to: Int, endpoints: [ServiceEndpoint], share: Double, recordsPerSession: Double, tcpShare: Double) {
        self.from = from
        self.to = to
        self.endpoints = endpoints
        endpointTable = WeightedTable(weights: endpoints.map(\.popularity))
        self.share = share
        self.recordsPerSession = recordsPerSession
        self.tcpShare = tcpShare
    }

    /// The share of sessions using each endpoint.
    public var endpointShares: [Double] {
        let total = endpoints.reduce(0) { $0 + $1.popularity }
        return endpoints.map { $0.popularity / total }
    }
}
