import TelemetryModel

/// Writes packets as classic PCAP records (microsecond times, link type Ethernet): an Ethernet
/// header, IPv4 (don't-fragment, TTL 64 from RFC 1918 hosts and 51 from the internet, the header
/// checksum), then TCP (ports, sequence and acknowledgement numbers, flags, window, the SYN's
/// options), UDP or ICMP echo, each with the checksum of the whole packet, pseudo-header included.
/// Payload bytes are zeros, so a checksum needs only the headers and the length; a snapshot
/// length shorter than a packet keeps its first bytes and its original length, as tcpdump's
/// `-s` does.
enum PcapPacketEncoder {
    /// The file header: magic, version 2.4, time zone 0, snapshot length, link type 1 (Ethernet).
    static func fileHeader(snaplen: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        func le32(_ v: UInt32) { for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * i))) } }
        le32(0xA1B2_C3D4)
        bytes += [2, 0, 4, 0]
        le32(0)
        le32(0)
        le32(UInt32(snaplen))
        le32(1)
        return bytes
    }

    /// Appends `packet` of `flight` to `out`, keeping at most `snaplen` bytes of it; the payload
    /// is `payload` (the packet's payload length of bytes) or zeros.
    static func write(_ packet: PcapFlight.Packet, of flight: PcapFlight, payload bytes: UnsafePointer<UInt8>?, snaplen: Int, into out: inout WriteBuffer) {
        let transport = flight.transport
        let l4Header = transport == .tcp ? 20 + packet.optionBytes : 8
        let payload = min(packet.payload, 65_535 - 20 - l4Header)
        let ipLength = 20 + l4Header + payload
        let frameLength = 14 + ipLength
        let captured = min(frameLength, snaplen)
        out.reserve(16 + 14 + 20 + 60 + captured)
        out.withWriter { start in
            var p = start
            le32(&p, UInt32(truncatingIfNeeded: packet.timeUs / 1_000_000))
            le32(&p, UInt32(truncatingIfNeeded: packet.timeUs % 1_000_000))
            le32(&p, UInt32(captured))
            le32(&p, UInt32(frameLength))
            let frame = p
            let (source, destination) = packet.fromClient ? (flight.client, flight.server) : (flight.server, flight.client)
            let sourceLocal = packet.fromClient ? flight.clientLocal : flight.serverLocal
            let destinationLocal = packet.fromClient ? flight.serverLocal : flight.clientLocal
            mac(&p, destination.address, local: destinationLocal)
            mac(&p, source.address, local: sourceLocal)
            be16(&p, 0x0800)
            // IPv4
            let ip = p
            ByteWriting.byte(&p, 0x45)
            ByteWriting.byte(&p, 0)
            be16(&p, UInt16(ipLength))
            be16(&p, packet.ipID)
            be16(&p, 0x4000)
            ByteWriting.byte(&p, sourceLocal ? 64 : 51)
            ByteWriting.byte(&p, transport.rawValue)
            be16(&p, 0)
            be32(&p, source.address)
            be32(&p, destination.address)
            let ipSum = checksum(ip, count: 20, initial: 0)
            ip[10] = UInt8(ipSum >> 8)
            ip[11] = UInt8(ipSum & 0xFF)
            // Transport
            let l4 = p
            let l4Length = UInt32(l4Header + payload)
            let payloadSum = bytes.map { sum(UnsafeRawPointer($0), count: payload) } ?? 0
            switch transport {
            case .tcp:
                be16(&p, source.port)
                be16(&p, destination.port)
                be32(&p, packet.seq)
                be32(&p, packet.ack)
                ByteWriting.byte(&p, UInt8((20 + packet.optionBytes) / 4) << 4)
                ByteWriting.byte(&p, packet.flags.rawValue)
                be16(&p, packet.flags.contains(.syn) ? (packet.fromClient ? 64_240 : 65_160) : 502)
                be16(&p, 0)
                be16(&p, 0)
                writeOptions(&p, bytes: packet.optionBytes, tsval: UInt32(truncatingIfNeeded: packet.timeUs / 1_000),
                             tsecr: packet.fromClient ? 0 : UInt32(truncatingIfNeeded: flight.startUs / 1_000))
                let sum = checksum(l4, count: l4Header, initial: pseudoHeader(source.address, destination.address, 6, l4Length) + payloadSum)
                l4[16] = UInt8(sum >> 8)
                l4[17] = UInt8(sum & 0xFF)
            case .udp:
                be16(&p, source.port)
                be16(&p, destination.port)
                be16(&p, UInt16(l4Length))
                be16(&p, 0)
                var sum = checksum(l4, count: 8, initial: pseudoHeader(source.address, destination.address, 17, l4Length) + payloadSum)
                if sum == 0 { sum = 0xFFFF }
                l4[6] = UInt8(sum >> 8)
                l4[7] = UInt8(sum & 0xFF)
            case .icmp:
                // Echo request from the client, echo reply from the server.
                ByteWriting.byte(&p, packet.fromClient ? 8 : 0)
                ByteWriting.byte(&p, 0)
                be16(&p, 0)
                be16(&p, flight.icmpID)
                be16(&p, packet.icmpSeq)
                let sum = checksum(l4, count: 8, initial: 0)
                l4[2] = UInt8(sum >> 8)
                l4[3] = UInt8(sum & 0xFF)
            }
            let end = frame + captured
            if end > p {
                if let bytes {
                    p.update(from: bytes, count: min(end - p, payload))
                } else {
                    p.initialize(repeating: 0, count: end - p)
                }
            }
            return end
        }
    }

    /// The ones'-complement sum of the pseudo-header (addresses, protocol, transport length).
    private static func pseudoHeader(_ source: UInt32, _ destination: UInt32, _ proto: UInt32, _ length: UInt32) -> UInt32 {
        (source >> 16) + (source & 0xFFFF) + (destination >> 16) + (destination & 0xFFFF) + proto + (length >> 16) + (length & 0xFFFF)
    }

    /// The ones'-complement sum (not folded) of `count` bytes at `p`, as 16-bit words (the last
    /// byte of an odd count padded with zero).
    private static func sum(_ p: UnsafeRawPointer, count: Int) -> UInt32 {
        var total: UInt64 = 0
        var i = 0
        let bytes = p.assumingMemoryBound(to: UInt8.self)
        while i + 1 < count {
            total += UInt64(bytes[i]) << 8 | UInt64(bytes[i + 1])
            i += 2
        }
        if i < count { total += UInt64(bytes[i]) << 8 }
        while total > 0xFFFF { total = (total & 0xFFFF) + (total >> 16) }
        return UInt32(total)
    }

    /// The Internet checksum of `count` bytes (even) at `p`, starting from `initial`.
    @inline(__always)
    private static func checksum(_ p: UnsafeMutablePointer<UInt8>, count: Int, initial: UInt32) -> UInt16 {
        var sum = initial
        var i = 0
        while i < count {
            sum += UInt32(p[i]) << 8 | UInt32(p[i + 1])
            i += 2
        }
        while sum > 0xFFFF { sum = (sum & 0xFFFF) + (sum >> 16) }
        return ~UInt16(sum)
    }

    /// A SYN's options as Linux sends them: 20 bytes (MSS, SACK permitted, timestamps, NOP, window
    /// scale), 12 (MSS, NOP, window scale, NOP, NOP, SACK permitted) or 4 (MSS).
    private static func writeOptions(_ p: inout UnsafeMutablePointer<UInt8>, bytes: Int, tsval: UInt32, tsecr: UInt32) {
        guard bytes > 0 else { return }
        func put(_ values: UInt8...) { for v in values { ByteWriting.byte(&p, v) } }
        put(0x02, 0x04, 0x05, 0xB4)
        if bytes == 20 {
            put(0x04, 0x02, 0x08, 0x0A)
            be32(&p, tsval)
            be32(&p, tsecr)
            put(0x01, 0x03, 0x03, 0x07)
        } else if bytes == 12 {
            put(0x01, 0x03, 0x03, 0x07, 0x01, 0x01, 0x04, 0x02)
        }
    }

    /// A host's MAC address: locally administered, from its IPv4 address; hosts on the internet
    /// are behind the gateway (02:00:00:00:00:01).
    @inline(__always)
    private static func mac(_ p: inout UnsafeMutablePointer<UInt8>, _ address: UInt32, local: Bool) {
        ByteWriting.byte(&p, 0x02)
        ByteWriting.byte(&p, 0)
        be32(&p, local ? address : 1)
    }

    @inline(__always)
    private static func be16(_ p: inout UnsafeMutablePointer<UInt8>, _ v: UInt16) {
        p[0] = UInt8(v >> 8)
        p[1] = UInt8(v & 0xFF)
        p += 2
    }

    @inline(__always)
    private static func be32(_ p: inout UnsafeMutablePointer<UInt8>, _ v: UInt32) {
        p[0] = UInt8(v >> 24)
        p[1] = UInt8(truncatingIfNeeded: v >> 16)
        p[2] = UInt8(truncatingIfNeeded: v >> 8)
        p[3] = UInt8(truncatingIfNeeded: v)
        p += 4
    }

    @inline(__always)
    private static func le32(_ p: inout UnsafeMutablePointer<UInt8>, _ v: UInt32) {
        p[0] = UInt8(truncatingIfNeeded: v)
        p[1] = UInt8(truncatingIfNeeded: v >> 8)
        p[2] = UInt8(truncatingIfNeeded: v >> 16)
        p[3] = UInt8(v >> 24)
        p += 4
    }
}
