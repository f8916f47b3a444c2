import TelemetryModel

/// Builds one flow event for one slot from a random stream: a realistic normal flow from the
/// network model, with the configured anomalies drawn independently on top.
///
/// Tables are compiled once; making an event allocates nothing.
public struct FlowEventFactory: Sendable {
    struct CompiledService: Sendable {
        var networks: [IPv4Network]
        var networkTable: WeightedTable
        var endpoints: [ServiceEndpoint]
        /// -1 means "clients", otherwise a service index.
        var sources: [Int]
        var isExternal: Bool
        var hostIndex: UInt16
        var securityGroup: UInt32
    }

    public let model: NetworkModel
    public let chaos: ChaosConfiguration
    public let vocabulary: FlowVocabulary
    let services: [CompiledService]
    let serviceTable: WeightedTable
    let clientTable: WeightedTable
    let exfilTable: WeightedTable
    let environmentTable: WeightedTable
    let regionTable: WeightedTable
    let exfilHostBase: UInt16
    let exfilHostCount: UInt64

    static let httpMethods: [(AppMethod, Double)] = [
        (.get, 70), (.post, 18), (.put, 5), (.delete, 2), (.patch, 2), (.head, 2), (.options, 1),
    ]
    static let httpStatuses: [(Int16, Double)] = [
        (200, 82), (201, 3), (204, 3), (301, 1), (302, 2), (304, 4), (400, 1.5), (401, 0.8), (403, 0.7),
        (404, 1.5), (500, 0.3), (502, 0.2),
    ]
    static let exfiltrationDomains = ["cdn-sync.xyz", "telemetry-upd.top", "ns1.q7x-relay.net"]
    let httpMethodTable = WeightedTable(weights: FlowEventFactory.httpMethods.map(\.1))
    let httpStatusTable = WeightedTable(weights: FlowEventFactory.httpStatuses.map(\.1))
    /// ACK+PSH (data), SYN+ACK (opening), ACK (idle), FIN+ACK (closing).
    static let tcpFlagSets: [(TCPFlags, Double)] = [([.ack, .psh], 60), ([.syn, .ack], 15), ([.ack], 15), ([.fin, .ack], 10)]
    let tcpFlagTable = WeightedTable(weights: FlowEventFactory.tcpFlagSets.map(\.1))

    public init(model: NetworkModel, chaos: ChaosConfiguration, generatorID: String) {
        self.model = model
        self.chaos = chaos
        let names = model.services.map(\.name)
        var hosts: [FlowVocabulary.Host] = model.services.map {
            FlowVocabulary.Host(prefix: $0.name, suffix: $0.isExternal ? "" : model.internalDomain)
        }
        exfilHostBase = UInt16(hosts.count)
        exfilHostCount = UInt64(Self.exfiltrationDomains.count)
        hosts += Self.exfiltrationDomains.map { FlowVocabulary.Host(prefix: $0, suffix: "") }
        vocabulary = FlowVocabulary(
            hosts: hosts, environments: model.environments.map(\.name), regions: model.regions.map(\.name),
            generatorID: generatorID
        )
        services = model.services.enumerated().map { index, service in
            CompiledService(
                networks: service.networks,
                networkTable: WeightedTable(weights: service.networks.map { Double($0.hostCount) }),
                endpoints: service.endpoints,
                sources: service.sources.map { $0 == "clients" ? -1 : names.firstIndex(of: $0)! },
                isExternal: service.isExternal,
                hostIndex: UInt16(index),
                securityGroup: UInt32(SeedMixer.finalize(UInt64(index) &+ 0x5e5e) % 1_000_000)
            )
        }
        serviceTable = WeightedTable(weights: model.services.map(\.weight))
        clientTable = WeightedTable(weights: model.clients.map { Double($0.hostCount) })
        exfilTable = WeightedTable(weights: model.exfiltrationTargets.map { Double($0.hostCount) })
        environmentTable = WeightedTable(weights: model.environments.map(\.weight))
        regionTable = WeightedTable(weights: model.regions.map(\.weight))
    }

    // MARK: - Pieces

    @inline(__always)
    func pickHost(_ networks: [IPv4Network], _ table: WeightedTable, _ rng: inout WyRand) -> (IPv4Address, UInt64) {
        let network = networks[networks.count == 1 ? 0 : table.pick(&rng)]
        let index = rng.below(network.hostCount)
        return (network.host(index), index)
    }

    @inline(__always)
    func fillIdentity(_ event: inout FlowEvent, _ rng: inout WyRand) {
        // UUIDv4: version nibble 4, variant bits 10.
        event.eventID = (
            (rng.next() & 0xffff_ffff_ffff_0fff) | 0x0000_0000_0000_4000,
            (rng.next() & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000
        )
        event.environment = UInt8(environmentTable.pick(&rng))
        event.region = UInt8(regionTable.pick(&rng))
    }

    // MARK: - Normal flows

    /// A normal flow (no anomaly) into `event`.
    @inline(__always)
    public func makeNormal(_ event: inout FlowEvent, _ rng: inout WyRand) {
        fillIdentity(&event, &rng)
        let service = services[serviceTable.pick(&rng)]
        let endpoint = service.endpoints[service.endpoints.count == 1 ? 0 : Int(rng.below(UInt64(service.endpoints.count)))]
        let source = service.sources[service.sources.count == 1 ? 0 : Int(rng.below(UInt64(service.sources.count)))]
        if source < 0 {
            event.srcIP = pickHost(model.clients, clientTable, &rng).0
        } else {
            let from = services[source]
            event.srcIP = pickHost(from.networks, from.networkTable, &rng).0
        }
        let (dst, dstIndex) = pickHost(service.networks, service.networkTable, &rng)
        event.dstIP = dst
        event.hostIndex = service.hostIndex
        event.hostNumber = service.isExternal ? 0 : UInt16(truncatingIfNeeded: dstIndex + 1)
        event.securityGroup = service.securityGroup
        event.transport = endpoint.transport
        event.dstPort = endpoint.port
        event.srcPort = endpoint.transport == .icmp ? 0 : UInt16(32768 + rng.below(28232))
        event.flags = endpoint.transport == .tcp ? Self.tcpFlagSets[tcpFlagTable.pick(&rng)].0 : []

        var app = endpoint.appProtocol
        if app == .http2 && rng.below(5) < 2 { app = .http11 }
        event.appProtocol = app
        event.statusCode = 0
        let sent: Double
        let received: Double
        var latencyMedian = service.isExternal ? 35.0 : 6.0
        switch app {
        case .http11, .http2:
            event.appMethod = Self.httpMethods[httpMethodTable.pick(&rng)].0
            event.statusCode = Self.httpStatuses[httpStatusTable.pick(&rng)].0
            sent = Distributions.logNormal(&rng, median: 900, sigma: 1.0, range: 120...5_000_000)
            received = Distributions.pareto(&rng, minimum: 1_500, alpha: 1.2, maximum: 200_000_000)
            latencyMedian *= 3
        case .postgresql, .mysql:
            event.appMethod = .query
            sent = Distributions.logNormal(&rng, median: 420, sigma: 0.9, range: 60...2_000_000)
            received = Distributions.pareto(&rng, minimum: 300, alpha: 1.1, maximum: 80_000_000)
        case .redis:
            event.appMethod = .command
            sent = Distributions.logNormal(&rng, median: 90, sigma: 0.7, range: 20...500_000)
            received = Distributions.logNormal(&rng, median: 200, sigma: 1.2, range: 5...5_000_000)
            latencyMedian = 0.8
        case .dns:
            event.appMethod = .query
            sent = Double(52 + rng.below(60))
            received = Double(80 + rng.below(420))
            latencyMedian = service.isExternal ? 18 : 1.5
        case .ntp:
            event.appMethod = .sync
            sent = 76
            received = 76
        case .icmp:
            event.appMethod = .echo
            sent = Double(84 * (1 + rng.below(4)))
            received = sent
            latencyMedian = 0.6
        case .tls, .tcp:
            event.appMethod = .handshake
            sent = Distributions.logNormal(&rng, median: 2_000, sigma: 1.3, range: 200...50_000_000)
            received = Distributions.pareto(&rng, minimum: 2_000, alpha: 1.2, maximum: 100_000_000)
        }
        event.bytesReceived = Int64(received)
        setSent(&event, bytes: Int64(sent), &rng)
        event.latencyMs = Int32(Distributions.logNormal(&rng, median: latencyMedian, sigma: 0.7, range: 1...1_500))
        event.anomalies = []
        event.malformation = nil
    }

    /// Sets `bytes_sent` and a packet count that agrees with it: TCP adds the handshake, every
    /// packet carries between 40 and 1500 bytes.
    @inline(__always)
    func setSent(_ event: inout FlowEvent, bytes: Int64, _ rng: inout WyRand) {
        switch event.transport {
        case .tcp:
            let segment = Int64(536 + rng.below(925))
            let packets = (bytes + segment - 1) / segment + 2
            event.packetsSent = Int32(clamping: packets)
            event.bytesSent = max(bytes, packets * 40)
        case .udp, .icmp:
            let packets = max(1, (bytes + 1_471) / 1_472)
            event.packetsSent = Int32(clamping: packets)
            event.bytesSent = max(bytes, packets * 28)
        }
    }

    // MARK: - Anomalies

    /// Draws each per-record anomaly independently and applies it. Exfiltration is applied first
    /// (it changes the transport), then connection reset, then latency.
    @inline(__always)
    public func applyChaos(_ event: inout FlowEvent, _ rng: inout WyRand) {
        let exfil = rng.chance(chaos.exfiltration)
        let reset = rng.chance(chaos.connectionReset)
        let spike = rng.chance(chaos.latencySpike)
        if exfil {
            let (src, _) = pickHost(model.clients, clientTable, &rng)
            let (dst, _) = pickHost(model.exfiltrationTargets, exfilTable, &rng)
            event.srcIP = src
            event.dstIP = dst
            event.transport = .udp
            event.dstPort = 53
            event.flags = []
            event.appProtocol = .dns
            event.appMethod = .txt
            event.statusCode = 0
            event.hostIndex = exfilHostBase + UInt16(rng.below(exfilHostCount))
            event.hostNumber = 0
            event.bytesReceived = Int64(40 + rng.below(460))
            event.bytesSent = Int64(10_000_000 + rng.below(50_000_000))
            // DNS tunnels chop data into small queries (~200-512 bytes each).
            event.packetsSent = Int32(clamping: event.bytesSent / Int64(200 + rng.below(313)))
            event.anomalies.insert(.exfiltration)
        }
        if reset {
            if event.transport == .tcp { event.flags = [.rst, .ack] }
            event.statusCode = 503
            event.bytesReceived = Int64(rng.below(200))
            event.anomalies.insert(.connectionReset)
        }
        if spike {
            event.latencyMs = Int32(2_000 + rng.below(5_000))
            event.anomalies.insert(.latencySpike)
        }
    }

    /// Draws whether the record is malformed and how.
    @inline(__always)
    public func applyMalformation(_ event: inout FlowEvent, _ rng: inout WyRand) {
        guard rng.chance(chaos.malformed) else { return }
        let kind = MalformedKind(rawValue: UInt8(1 + rng.below(UInt64(MalformedKind.allCases.count))))!
        event.malformation = Malformation(kind: kind, variant: UInt32(truncatingIfNeeded: rng.next()))
        event.anomalies.insert(.malformed)
    }

    // MARK: - Port scans

    /// One probe of a port-scan burst: a lone SYN of 64 bytes to the next port.
    @inline(__always)
    public func makeProbe(_ event: inout FlowEvent, burst: PortScanSchedule.Burst, probe: Int, _ rng: inout WyRand) {
        fillIdentity(&event, &rng)
        let service = services[burst.service]
        event.srcIP = burst.source
        event.dstIP = burst.target
        event.srcPort = burst.sourcePort
        event.dstPort = burst.firstPort &+ UInt16(truncatingIfNeeded: probe)
        event.transport = .tcp
        event.flags = [.syn]
        event.bytesSent = 64
        event.bytesReceived = 0
        event.packetsSent = 1
        event.latencyMs = Int32(rng.below(3))
        event.appProtocol = .tcp
        event.appMethod = .syn
        event.statusCode = 0
        event.hostIndex = service.hostIndex
        event.hostNumber = burst.targetNumber
        event.securityGroup = service.securityGroup
        event.anomalies = .portScan
        event.malformation = nil
    }
}
