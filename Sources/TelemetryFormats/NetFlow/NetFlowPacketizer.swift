import TelemetryModel

/// Turns flow records into NetFlow v9 or IPFIX export packets, each at most
/// `options.maxPacketBytes` long. A record becomes one flow per direction that carried packets
/// (client to server, then server to client, each with its own TCP flags). Templates (the flow
/// template, and the options template and record: sampling, timeouts; in IPFIX only with
/// sampling) open the first
/// packet and are sent again every `templateRefreshPackets` packets or `templateRefreshSeconds`
/// of export time. Sequence numbers follow each protocol: v9 counts export packets, IPFIX counts
/// the data records (options records included) sent before a message. The export time of a packet is the end of its latest
/// flow (the simulation's clock); `sysUpTime` and v9's first/last switched count from
/// `options.bootMs`.
///
/// Used by one thread; no allocation per record.
public final class NetFlowPacketizer {
    /// The directions of a record that were exported.
    public struct Directions: OptionSet, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let forward = Directions(rawValue: 1)
        public static let reverse = Directions(rawValue: 2)
    }

    public let options: NetFlowExportOptions
    /// Export packets made so far.
    public private(set) var packets: UInt64 = 0
    /// Flows (data records) made so far.
    public private(set) var flows: UInt64 = 0
    /// Packets that carried the templates.
    public private(set) var templatePackets: UInt64 = 0

    private let buffer: UnsafeMutableRawPointer
    private let capacity: Int
    private let headerLength: Int
    private let fixedRecordLength: Int
    private var used = 0
    /// Records of any kind in the packet (v9's header count).
    private var recordsInPacket = 0
    /// Flow records in the packet.
    private var flowsInPacket = 0
    /// Data records in the packet, the options record included (IPFIX's sequence advances by them).
    private var dataRecordsInPacket = 0
    /// Offset of the open data set's header, if one is open.
    private var openSet: Int?
    private var exportMs: Int64 = 0
    private var packetsSinceTemplates = 0
    private var templatesSentMs: Int64?
    /// IPFIX: data records sent before the current message.
    private var ipfixSequence: UInt32 = 0

    public init(options: NetFlowExportOptions) {
        self.options = options
        capacity = max(options.maxPacketBytes, NetFlowExportOptions.minimumPacketBytes)
        buffer = .allocate(byteCount: capacity, alignment: 8)
        headerLength = options.version == .ipfix ? 16 : 20
        fixedRecordLength = NetFlowTemplate.fixedLength(options.version)
    }

    deinit { buffer.deallocate() }

    /// Adds the flows of `e` (none for a dropped record, or one sampling leaves out), handing
    /// every packet that fills up to `send`.
    @discardableResult
    public func add(_ e: FlowEvent, send: (UnsafeRawBufferPointer) -> Void) -> Directions {
        guard !e.dropped else { return [] }
        if options.samplingInterval > 1 && e.eventID.low % UInt64(options.samplingInterval) != 0 { return [] }
        var directions: Directions = []
        if e.packetsSent > 0 {
            append(e, reverse: false, send: send)
            directions.insert(.forward)
        }
        if e.packetsReceived > 0 {
            append(e, reverse: true, send: send)
            directions.insert(.reverse)
        }
        return directions
    }

    /// Sends the packet being filled, if it holds anything.
    public func flush(send: (UnsafeRawBufferPointer) -> Void) {
        guard flowsInPacket > 0 || recordsInPacket > 0 else { return }
        closeSet()
        writeHeader()
        send(UnsafeRawBufferPointer(start: buffer, count: used))
        packets += 1
        packetsSinceTemplates += 1
        if options.version == .ipfix { ipfixSequence &+= UInt32(truncatingIfNeeded: dataRecordsInPacket) }
        used = 0
        recordsInPacket = 0
        flowsInPacket = 0
        dataRecordsInPacket = 0
        exportMs = 0
    }

    // MARK: - Records

    private func recordLength(_ e: FlowEvent) -> Int {
        guard options.version == .ipfix else { return fixedRecordLength }
        let incident = e.incident.isNone ? 0 : IncidentID.textLength
        let technique = e.incident.isNone ? 0 : (e.incident.family.technique?.utf8CodeUnitCount ?? 0)
        return fixedRecordLength + 3 + e.anomalies.primaryLabel.staticName.utf8CodeUnitCount + incident + technique
    }

    private func append(_ e: FlowEvent, reverse: Bool, send: (UnsafeRawBufferPointer) -> Void) {
        let length = recordLength(e)
        if used > 0 && used + (openSet == nil ? 4 : 0) + length + 3 > capacity { flush(send: send) }
        if used == 0 { startPacket(at: e.endMs) }
        if openSet == nil {
            openSet = used
            used += 4
        }
        exportMs = max(exportMs, e.endMs)
        writeRecord(e, reverse: reverse)
        recordsInPacket += 1
        flowsInPacket += 1
        dataRecordsInPacket += 1
        flows += 1
    }

    private func startPacket(at ms: Int64) {
        used = headerLength
        exportMs = ms
        let due = templatesSentMs.map { ms - $0 >= Int64(options.templateRefreshSeconds) * 1_000 } ?? true
        if due || packetsSinceTemplates >= options.templateRefreshPackets {
            writeTemplates()
            templatesSentMs = ms
            packetsSinceTemplates = 0
            templatePackets += 1
        }
    }

    private func writeRecord(_ e: FlowEvent, reverse: Bool) {
        let ipfix = options.version == .ipfix
        put32(reverse ? e.dstIP.value : e.srcIP.value)
        put32(reverse ? e.srcIP.value : e.dstIP.value)
        if e.transport == .icmp {
            // ICMP: type and code in the destination port, as exporters do: echo request (8)
            // from the client, echo reply (0) from the server.
            put16(0)
            put16(reverse ? 0 : 8 << 8)
        } else {
            put16(reverse ? e.dstPort : e.srcPort)
            put16(reverse ? e.srcPort : e.dstPort)
        }
        put8(e.transport.rawValue)
        put8(0)  // type of service
        let flags = e.transport == .tcp ? (reverse ? e.serverFlags : e.clientFlags).rawValue : 0
        if ipfix { put16(UInt16(flags)) } else { put8(flags) }
        put64(UInt64(max(0, reverse ? e.packetsReceived : e.packetsSent)))
        put64(UInt64(max(0, reverse ? e.bytesReceived : e.bytesSent)))
        if ipfix {
            put64(UInt64(max(0, e.startMs)))
            put64(UInt64(max(0, e.endMs)))
        } else {
            put32(UInt32(truncatingIfNeeded: e.startMs - options.bootMs))
            put32(UInt32(truncatingIfNeeded: e.endMs - options.bootMs))
        }
        // Interfaces: the exporter sees each host on a port of its own (its index + 1).
        put32((reverse ? e.dstHost : e.srcHost) &+ 1)
        put32((reverse ? e.srcHost : e.dstHost) &+ 1)
        put32(0)  // source AS
        put32(0)  // destination AS
        guard ipfix else { return }
        putText(e.anomalies.primaryLabel.staticName)
        if e.incident.isNone {
            put8(0)
            put8(0)
        } else {
            put8(UInt8(IncidentID.textLength))
            for byte in e.incident.text.utf8 { put8(byte) }
            if let technique = e.incident.family.technique { putText(technique) } else { put8(0) }
        }
    }

    // MARK: - Sets and headers

    private func closeSet() {
        guard let start = openSet else { return }
        while (used - start) % 4 != 0 { put8(0) }
        store16(NetFlowTemplate.flowID, at: start)
        store16(UInt16(used - start), at: start + 2)
        openSet = nil
    }

    private func writeTemplates() {
        let ipfix = options.version == .ipfix
        // The flow template.
        var start = used
        put16(ipfix ? 2 : 0)
        put16(0)
        let fields = NetFlowTemplate.flowFields(options.version)
        put16(NetFlowTemplate.flowID)
        put16(UInt16(fields.count))
        for field in fields { putField(field) }
        store16(UInt16(used - start), at: start + 2)
        recordsInPacket += 1
        // IPFIX without sampling goes without the options record: nfdump's collector counts only
        // flow records in IPFIX sequence numbers (RFC 7011 counts every data record), and would
        // report each options record as a gap. v9 counts packets, so it always has them.
        guard !ipfix || options.samplingInterval > 1 else { return }
        // The options template.
        start = used
        put16(ipfix ? 3 : 1)
        put16(0)
        put16(NetFlowTemplate.optionsID)
        let scope = NetFlowTemplate.optionsScope(options.version)
        if ipfix {
            put16(UInt16(1 + NetFlowTemplate.optionFields.count))
            put16(1)
        } else {
            put16(4)  // scope bytes
            put16(UInt16(4 * NetFlowTemplate.optionFields.count))
        }
        putField(scope)
        for field in NetFlowTemplate.optionFields { putField(field) }
        while (used - start) % 4 != 0 { put8(0) }
        store16(UInt16(used - start), at: start + 2)
        recordsInPacket += 1
        // The options record.
        start = used
        put16(NetFlowTemplate.optionsID)
        put16(0)
        put32(options.domainID)
        put32(UInt32(options.samplingInterval))
        put8(options.samplingInterval > 1 ? 1 : 0)  // deterministic 1-in-N, or none
        put16(UInt16(clamping: options.activeTimeoutSeconds))
        put16(UInt16(clamping: options.inactiveTimeoutSeconds))
        while (used - start) % 4 != 0 { put8(0) }
        store16(UInt16(used - start), at: start + 2)
        recordsInPacket += 1
        dataRecordsInPacket += 1
    }

    private func putField(_ field: NetFlowTemplate.Field) {
        put16(field.enterprise == nil ? field.id : field.id | 0x8000)
        put16(field.length)
        if let enterprise = field.enterprise { put32(enterprise) }
    }

    private func writeHeader() {
        // The packet leaves at the first whole second after its latest flow ended; sysUpTime is
        // taken at that same moment, so a collector recovers the boot time (and every v9 time) exactly.
        let exportSecond = (max(0, exportMs) + 999) / 1_000
        let seconds = UInt32(truncatingIfNeeded: exportSecond)
        if options.version == .ipfix {
            store16(10, at: 0)
            store16(UInt16(used), at: 2)
            store32(seconds, at: 4)
            store32(ipfixSequence, at: 8)
            store32(options.domainID, at: 12)
        } else {
            store16(9, at: 0)
            store16(UInt16(recordsInPacket), at: 2)
            store32(UInt32(truncatingIfNeeded: exportSecond * 1_000 - options.bootMs), at: 4)
            store32(seconds, at: 8)
            store32(UInt32(truncatingIfNeeded: packets), at: 12)
            store32(options.domainID, at: 16)
        }
    }

    // MARK: - Bytes

    @inline(__always) private func put8(_ v: UInt8) {
        buffer.storeBytes(of: v, toByteOffset: used, as: UInt8.self)
        used += 1
    }

    @inline(__always) private func put16(_ v: UInt16) {
        store16(v, at: used)
        used += 2
    }

    @inline(__always) private func put32(_ v: UInt32) {
        store32(v, at: used)
        used += 4
    }

    @inline(__always) private func put64(_ v: UInt64) {
        buffer.storeBytes(of: v.bigEndian, toByteOffset: used, as: UInt64.self)
        used += 8
    }

    private func putText(_ text: StaticString) {
        put8(UInt8(text.utf8CodeUnitCount))
        (buffer + used).copyMemory(from: text.utf8Start, byteCount: text.utf8CodeUnitCount)
        used += text.utf8CodeUnitCount
    }

    @inline(__always) private func store16(_ v: UInt16, at offset: Int) { buffer.storeBytes(of: v.bigEndian, toByteOffset: offset, as: UInt16.self) }
    @inline(__always) private func store32(_ v: UInt32, at offset: Int) { buffer.storeBytes(of: v.bigEndian, toByteOffset: offset, as: UInt32.self) }
}
