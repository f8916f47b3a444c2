import TelemetryModel

/// The flow records as the packets a capture point between clients and servers would have seen
/// (`--format pcap`): classic PCAP, Ethernet, IPv4 with TCP, UDP or ICMP, in time order across
/// every session. Each record becomes its packets (``PcapFlight``), spread over its span; a session
/// keeps its sequence numbers from one record to the next.
///
/// Records come in the order of their ends and no record spans more than the aggregation window,
/// so once a record ending at `t` has been added, no later record has a packet before
/// `t - window`: packets up to there are written, the rest wait. Memory is the records of one
/// window, not their packets: each packet is made when its turn comes.
///
/// Used by one thread.
public final class PcapCapture {
    public let snaplen: Int
    /// Packets written so far.
    public private(set) var packets: UInt64 = 0
    /// Records that came after packets later than their start had been written: their packets
    /// were moved later to keep the capture in time order (none when records arrive in order).
    public private(set) var delayedRecords: UInt64 = 0
    private let horizonMs: Int64
    private let inactivityMs: Int64
    private var sessions: [Int64: PcapSessionState] = [:]
    private var flights: [PcapFlight] = []
    private var freeSlots: [Int32] = []
    private var schedule = PcapSchedule()
    private var added: UInt64 = 0
    private var writtenUs = Int64.min
    private var clockMs = Int64.min
    private var sweptMs: Int64 = 0
    /// Packets before this time (µs) can be written.
    private var limitUs = Int64.min
    /// Host names, for DNS names (nil: DNS payloads are zeros).
    private let tables: VocabularyTables?
    /// One packet's payload, when it is not zeros.
    private let payload = UnsafeMutablePointer<UInt8>.allocate(capacity: 65_536)
    /// The name a DNS packet asks for.
    private let name: UnsafeMutablePointer<UInt8>

    /// - Parameters:
    ///   - snaplen: bytes kept of each packet (the rest is counted in its original length).
    ///   - windowMs: the aggregation window: the longest span of one record.
    ///   - vocabulary: the network's names, which DNS packets ask for.
    public init(snaplen: Int, windowMs: Int64, vocabulary: FlowVocabulary?) {
        self.snaplen = snaplen
        let tables = vocabulary.map { VocabularyTables($0, name: { Array($0.utf8) }, tags: { _ in [] }, escape: { Array($0.utf8) }) }
        self.tables = tables
        name = .allocate(capacity: (tables?.names.maxLength ?? 0) + 2 * QueryName.maxLength + 64)
        horizonMs = windowMs + 1_000
        inactivityMs = windowMs + 60_000
    }

    deinit {
        payload.deallocate()
        name.deallocate()
    }

    /// The 24-byte file header every capture file starts with.
    public static func fileHeader(snaplen: Int) -> [UInt8] { PcapPacketEncoder.fileHeader(snaplen: snaplen) }

    /// Schedules `e`'s packets; ``write(into:budget:)`` writes them when their time comes.
    public func add(_ e: FlowEvent) {
        guard !e.dropped, Int64(max(0, e.packetsSent)) + Int64(max(0, e.packetsReceived)) > 0 else { return }
        var session = sessions[e.sessionID] ?? PcapSessionState(session: e.sessionID, endMs: e.endMs)
        var flight = PcapFlight(e, session: session)
        flight.advance(&session)
        session.lastEndMs = e.endMs
        let closes = e.transport == .tcp && !e.clientFlags.union(e.serverFlags).isDisjoint(with: [.fin, .rst])
        if closes { sessions.removeValue(forKey: e.sessionID) } else { sessions[e.sessionID] = session }
        if flight.startUs < writtenUs {
            flight.delay(by: writtenUs - flight.startUs)
            delayedRecords += 1
        }
        let slot: Int32
        if let free = freeSlots.popLast() {
            slot = free
            flights[Int(free)] = flight
        } else {
            slot = Int32(flights.count)
            flights.append(flight)
        }
        schedule.push(.init(timeUs: flight.nextTimeUs, order: added, slot: slot))
        added += 1
        clockMs = max(clockMs, e.endMs)
        limitUs = max(limitUs, (clockMs - horizonMs) * 1_000)
        if clockMs - sweptMs >= 10_000 { sweep() }
    }

    /// After the last record: every packet still waiting may be written.
    public func finish() {
        limitUs = .max
        sessions.removeAll()
    }

    /// Appends to `out` the packets that no later record can precede (all of them after
    /// ``finish()``), in time order, until `out` holds `budget` bytes. True when it stopped for the
    /// budget with packets still to write.
    public func write(into out: inout WriteBuffer, budget: Int = .max) -> Bool {
        while let top = schedule.top, top.timeUs < limitUs {
            if out.count >= budget { return true }
            let slot = Int(top.slot)
            let packet = flights[slot].nextPacket()
            let bytes = flights[slot].isDNS && packet.payload > 0 ? dnsPayload(packet, of: flights[slot]) : nil
            PcapPacketEncoder.write(packet, of: flights[slot], payload: bytes, snaplen: snaplen, into: &out)
            writtenUs = packet.timeUs
            packets += 1
            if flights[slot].isDone {
                schedule.popTop()
                freeSlots.append(top.slot)
            } else {
                schedule.retimeTop(flights[slot].nextTimeUs)
            }
        }
        return false
    }

    /// A DNS query or answer filling the packet's payload (over TCP, after its length), or nil
    /// (zeros) when the payload is too short for one.
    private func dnsPayload(_ packet: PcapFlight.Packet, of flight: PcapFlight) -> UnsafePointer<UInt8>? {
        guard let tables, packet.payload <= 65_535 else { return nil }
        var p = name
        if flight.queryName.kind == .server {
            tables.names.write(&p, Int(flight.dstHost))
        } else {
            flight.queryName.write(&p, seed: flight.nameSeed) { p, host in tables.names.write(&p, Int(host)) }
        }
        let tcp = flight.transport == .tcp
        let start = tcp ? 2 : 0
        let length = packet.payload - start
        guard PcapDNSMessage.write(payload + start, length: length, name: UnsafeBufferPointer(start: name, count: p - name), response: !packet.fromClient,
                                   id: flight.icmpID &+ packet.icmpSeq) else { return nil }
        if tcp {
            payload[0] = UInt8(length >> 8)
            payload[1] = UInt8(length & 0xFF)
        }
        return UnsafePointer(payload)
    }

    /// Forgets sessions quiet for longer than the window and a minute.
    private func sweep() {
        sweptMs = clockMs
        let limit = clockMs - inactivityMs
        sessions = sessions.filter { $0.value.lastEndMs >= limit }
    }
}
