import TelemetryModel

/// One session of the simulated network, as drawn when it starts: who talks to whom on which
/// port, how it goes and for how long. A session is a pure function of the seed, its shard,
/// process and number, and its start, so it can be drawn again whenever one of its records is
/// due instead of being kept.
public struct Session: Sendable {
    /// How a session goes.
    public enum Outcome: UInt8, Sendable {
        /// TCP: handshake, data, FIN both ways. UDP and ICMP: answered.
        case closed
        /// TCP: ended by the client's RST after data.
        case clientReset
        /// TCP: ended by the server's RST after data.
        case serverReset
        /// TCP: SYN answered by RST+ACK (nothing listens on the port).
        case refused
        /// No answer at all (SYN or query retransmitted, then given up; or refused by a security
        /// group, which drops silently).
        case unanswered
    }

    /// What the session's records are.
    public enum Shape: UInt8, Sendable {
        /// One flow cut into records by the aggregation window.
        case flow
        /// Probes of a scan, one record each (`probes` of them, `spacingMs` apart).
        case probes
        /// The flows of an attack campaign of a scenario (beacons, login attempts, a flood, moves
        /// to other hosts), one record each, drawn by ``FlowSimulation/campaignFlow(_:_:)``.
        case campaign
    }

    public var id: Int64
    public var startMs: Int64
    public var shape: Shape
    public var src: UInt32
    public var dst: UInt32
    public var srcPort: UInt16
    public var dstPort: UInt16
    public var transport: TransportProtocol
    public var app: AppProtocol
    public var method: AppMethod
    public var outcome: Outcome
    /// Flows: first packet to last, in milliseconds.
    public var durationMs: Int64
    /// How many records the session makes.
    public var records: Int32
    /// Probes: milliseconds between two probes.
    public var spacingMs: Double
    /// Time to the first answer, milliseconds (0 when nothing answered).
    public var latencyMs: Float
    /// Payload bytes each way over the whole flow.
    public var upBytes: Double
    public var downBytes: Double
    /// Payload bytes per TCP segment; for a stream of UDP queries, the payload of one query.
    public var mss: UInt16
    /// HTTP status of a normal answer (0: not HTTP, or no answer).
    public var status: Int16
    /// Whether the records' payload varies from window to window (long-lived sessions).
    public var bursty: Bool
    /// One request over the whole flow (an upload, a backup): every record keeps its method and
    /// status, where a long-lived connection's windows each carry requests of their own.
    public var singleRequest: Bool
    public var anomalies: AnomalySet
    /// The incident behind the session's anomalies (an attack, or its server's degradation), and
    /// the failing-service incident behind a `connection_reset` (see ``FlowSimulation/fail``).
    public var incident: IncidentID
    public var failure: IncidentID
    /// The reset is the anomaly: only the record that shows it carries the label.
    public var anomalyOnLastRecordOnly: Bool
    public var rejected: Bool
    /// Probes: what they look for (the port numbers and targets they walk through).
    public var probePlan: ProbePlan
    /// The stream per-record draws come from.
    public var recordSeed: UInt64
    /// The scenario entry of a scenario's session (-1: none).
    public var scenario: Int16
    /// A DNS tunnel's domain: the outside host whose name its queries end in.
    public var queryDomain: UInt32

    public init() {
        id = 0
        startMs = 0
        shape = .flow
        src = 0
        dst = 0
        srcPort = 0
        dstPort = 0
        transport = .tcp
        app = .tcp
        method = .handshake
        outcome = .closed
        durationMs = 0
        records = 1
        spacingMs = 0
        latencyMs = 0
        upBytes = 0
        downBytes = 0
        mss = 1448
        status = 0
        bursty = false
        singleRequest = false
        anomalies = []
        incident = .none
        failure = .none
        anomalyOnLastRecordOnly = false
        rejected = false
        probePlan = ProbePlan()
        recordSeed = 0
        scenario = -1
        queryDomain = 0
    }
}

/// How a scan's probes are laid out: probe `j` goes to target `j / portsPerTarget` and to the
/// `j % portsPerTarget`-th port of the plan.
public struct ProbePlan: Sendable {
    /// Which hosts are probed.
    public enum Targets: UInt8, Sendable {
        /// `target` alone.
        case single
        /// Every internal host that serves something, in order.
        case servers
        /// The targets of the scenario entry `target` (a horizontal scan), in order.
        case scenario
    }

    /// Which ports.
    public enum Ports: UInt8, Sendable {
        /// `firstPort`, `firstPort + 1`, ...
        case sequential
        /// ``commonPorts`` in order (then sequential ports from 1024).
        case common
        /// A port drawn per probe, the common ones most often (background noise).
        case random
        /// The scenario entry's ports (its index in `target`), in order.
        case scenario
    }

    public var targets: Targets
    /// The host of a single-target plan (index into the topology's hosts).
    public var target: UInt32
    public var portsPerTarget: UInt32
    public var ports: Ports
    public var firstPort: UInt16
    /// SYN scan (a raw 44-byte SYN, RST after a SYN-ACK) or connect scan (the OS's handshake).
    public var synScan: Bool
    /// UDP probes (empty datagrams, or a service's own query on its port).
    public var udp: Bool = false

    public init() {
        targets = .single
        target = 0
        portsPerTarget = 1
        ports = .sequential
        firstPort = 1
        synScan = true
    }

    /// nmap's default scan: ``commonPorts``, then the lowest ports not among them, 1,000 in all.
    public static let topPorts: [UInt16] = {
        let common = Set(commonPorts)
        return commonPorts + (1...UInt16(65_535)).lazy.filter { !common.contains($0) }.prefix(1_000 - commonPorts.count)
    }()

    /// The ports scanners and background noise try first, most common first.
    public static let commonPorts: [UInt16] = [
        80, 443, 22, 23, 21, 25, 3389, 110, 445, 139, 143, 53, 135, 3306, 8080, 1723, 111, 995, 993, 5900, 1025, 587, 8888, 199, 1720,
        465, 548, 113, 81, 6001, 10000, 514, 5060, 179, 1026, 2000, 8443, 8000, 32768, 554, 26, 1433, 49152, 2001, 515, 8008, 49154, 1027,
        5666, 646, 5000, 5631, 631, 49153, 8081, 2049, 88, 79, 5800, 106, 2121, 1110, 49155, 6000, 513, 990, 5357, 427, 49156, 543, 544,
        5101, 144, 7, 389, 8009, 3128, 444, 9999, 5009, 7070, 5190, 3000, 5432, 1900, 3986, 13, 1029, 9, 5051, 6646, 49157, 1028, 873,
        1755, 2717, 4899, 9100, 119, 37, 6379, 9200, 27017, 11211, 5985, 5986, 2375, 8880, 7001, 9090, 4444, 6443, 10250, 2379,
    ]
}
