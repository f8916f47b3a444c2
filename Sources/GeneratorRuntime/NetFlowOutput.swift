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
    private var socket: ConnectedSocket?
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

    deinit { socket?.close() }

    /// Packets and flows sent so far.
    var packets: UInt64 { packetizer.packets }
    var flows: UInt64 { packetizer.flows }

    func start() throws(OutputError) {
        socket = try ConnectedSocket(host: target.host, port: target.port, type: Int32(SOCK_DGRAM.rawValue), output: spec.description, sendBuffer: 4 << 20)
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
        socket?.close()
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
        guard let socket, sendError == nil else { return }
        do throws(OutputError) {
            switch try socket.sendDatagram(packet) {
            case .sent(let count): bytes += UInt64(count)
            case .refused: refusedPackets += 1
            }
        } catch {
            sendError = error
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
