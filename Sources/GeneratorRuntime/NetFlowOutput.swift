#if canImport(Glibc)
import Glibc
#endif
import TelemetryFormats
import KafkaTransport
import TelemetryModel

/// Exports flow records as NetFlow v9 or IPFIX packets over UDP to a collector (`netflow://`).
/// A UDP send cannot know whether the collector took a packet; packets the kernel refuses (no
/// collector listening: ECONNREFUSED) are counted, as an exporter does, and the run goes on.
/// With `labels=PATH`, every exported flow's ground truth goes to a JSON-lines file keyed by the
/// flow's 5-tuple and start (`src_ip`, `dst_ip`, `src_port`, `dst_port`, `protocol`, `start_ms`).
final class NetFlowOutput: RecordOutput {
    let spec: OutputSpec
    private let target: NetFlowTarget
    private let packetizer: NetFlowPacketizer
    private let generatorID: String
    private var socket: Int32 = -1
    private var labels: TextFile?
    private var line: [UInt8] = []
    private var lastSend = 0.0
    private(set) var records: UInt64 = 0
    private(set) var bytes: UInt64 = 0
    /// Packets the kernel refused to send.
    private(set) var refusedPackets: UInt64 = 0
    private var sendError: OutputError?
    var files: [String] { target.labelsPath.map { [$0] } ?? [] }
    var delivery: KafkaDeliveryReport? { nil }

    init(spec: OutputSpec, target: NetFlowTarget, generatorID: String) {
        self.spec = spec
        self.target = target
        self.generatorID = generatorID
        packetizer = NetFlowPacketizer(options: target.options)
    }

    deinit { if socket >= 0 { close(socket) } }

    /// Packets and flows sent so far.
    var packets: UInt64 { packetizer.packets }
    var flows: UInt64 { packetizer.flows }

    func start() throws(OutputError) {
        var hints = addrinfo()
        hints.ai_family = AF_INET
        hints.ai_socktype = Int32(SOCK_DGRAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(target.host, String(target.port), &hints, &found)
        guard status == 0, let address = found else {
            throw OutputError(output: spec.description, operation: "resolve", detail: String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(address) }
        socket = Glibc.socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard socket >= 0 else { throw OutputError(output: spec.description, operation: "open a socket for", code: errno) }
        var size: Int32 = 4 << 20
        _ = setsockopt(socket, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        guard connect(socket, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 else {
            throw OutputError(output: spec.description, operation: "connect to", code: errno)
        }
        if let path = target.labelsPath { labels = try TextFile(creating: path) }
    }

    func write(_ chunk: FlowChunk, records range: Range<Int>, now: Double) throws(OutputError) {
        for i in range {
            let event = chunk.events[i]
            let directions = packetizer.add(event, send: send)
            if !directions.isEmpty { records += 1 }
            if labels != nil {
                if directions.contains(.forward) { try writeLabel(event, reverse: false) }
                if directions.contains(.reverse) { try writeLabel(event, reverse: true) }
            }
        }
        if let sendError { throw sendError }
    }

    func tick(now: Double) throws(OutputError) {
        // A quiet exporter still sends what it holds within a second, as exporters do.
        if now - lastSend >= 1 {
            packetizer.flush(send: send)
            lastSend = now
        }
        if let sendError { throw sendError }
    }

    func finish() throws(OutputError) {
        packetizer.flush(send: send)
        if socket >= 0 {
            close(socket)
            socket = -1
        }
        try labels?.close()
        labels = nil
        if let sendError { throw sendError }
        if refusedPackets > 0 {
            throw OutputError(
                output: spec.description, operation: "export to",
                detail: "\(refusedPackets) of \(packetizer.packets) packets refused: no collector listening at \(target.host):\(target.port)"
            )
        }
    }

    private func send(_ packet: UnsafeRawBufferPointer) {
        while true {
            let sent = Glibc.send(socket, packet.baseAddress, packet.count, 0)
            if sent >= 0 {
                bytes += UInt64(sent)
                return
            }
            switch errno {
            case EINTR: continue
            case ENOBUFS, EAGAIN:
                // The kernel's queue is full for a moment: wait for it, as a blocking exporter does.
                usleep(100)
                continue
            case ECONNREFUSED:
                // No collector listening (an ICMP answer to an earlier packet): counted, not fatal.
                refusedPackets += 1
                return
            default:
                if sendError == nil { sendError = OutputError(output: spec.description, operation: "send to", code: errno) }
                return
            }
        }
    }

    /// `{"src_ip":…,"dst_ip":…,"src_port":…,"dst_port":…,"protocol":6,"start_ms":…,"end_ms":…,
    /// "label":…,"anomalies":[…],"incident_id":…,"technique":…,"generator_id":…,"seq":…}`
    private func writeLabel(_ e: FlowEvent, reverse: Bool) throws(OutputError) {
        line.removeAll(keepingCapacity: true)
        func text(_ s: String) { line.append(contentsOf: s.utf8) }
        text("{\"src_ip\":\"\(reverse ? e.dstIP : e.srcIP)\",\"dst_ip\":\"\(reverse ? e.srcIP : e.dstIP)\"")
        text(",\"src_port\":\(reverse ? e.dstPort : e.srcPort),\"dst_port\":\(reverse ? e.srcPort : e.dstPort),\"protocol\":\(e.transport.rawValue)")
        text(",\"start_ms\":\(e.startMs),\"end_ms\":\(e.endMs),\"direction\":\"\(reverse ? "reverse" : "forward")\",\"label\":\"\(e.anomalies.primaryLabel.name)\"")
        text(",\"anomalies\":[" + e.anomalies.labels.map { "\"\($0.name)\"" }.joined(separator: ",") + "]")
        if e.incident.isNone {
            text(",\"incident_id\":null,\"technique\":null")
        } else {
            text(",\"incident_id\":\"\(e.incident.text)\",\"technique\":" + (e.incident.family.technique.map { "\"\($0)\"" } ?? "null"))
        }
        text(",\"generator_id\":\"\(generatorID)\",\"seq\":\(e.seq)}\n")
        try labels?.write(line)
    }
}
