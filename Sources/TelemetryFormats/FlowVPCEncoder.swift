import TelemetryModel

/// Writes flow records as AWS VPC Flow Logs text (versions 2 to 5), as the interfaces of the
/// simulated network log them: one line per interface and direction of each record. A session
/// between two hosts inside VPCs is logged by both interfaces, each direction on its own line;
/// a session refused by a security group only at the receiving interface, as `REJECT`; traffic
/// from or to outside hosts only by the inside interface. Fields are the version's in AWS's order,
/// space separated, `-` where a field does not apply; each file starts with a header line.
///
/// Ids (account, VPC, subnet, interface, instance) are the hosts' own, fixed for the run. Per
/// capture window an interface may be `SKIPDATA` (its lines of the window are left out; the
/// writer reports the window); the writer also reports `NODATA` for idle interfaces. A malformed
/// record breaks its first line like the CSV: `-` for a missing field, text in a number field,
/// out-of-range numbers and bad addresses as they are, a cut line.
public final class FlowVPCEncoder: Sendable {
    /// The fields of each version, cumulative (v3 adds to v2, and so on).
    public static let fieldsByVersion: [Int: [String]] = {
        let v2 = ["version", "account-id", "interface-id", "srcaddr", "dstaddr", "srcport", "dstport", "protocol",
                  "packets", "bytes", "start", "end", "action", "log-status"]
        let v3 = v2 + ["vpc-id", "subnet-id", "instance-id", "tcp-flags", "type", "pkt-srcaddr", "pkt-dstaddr"]
        let v4 = v3 + ["region", "az-id", "sublocation-type", "sublocation-id"]
        let v5 = v4 + ["pkt-src-aws-service", "pkt-dst-aws-service", "flow-direction", "traffic-path"]
        return [2: v2, 3: v3, 4: v4, 5: v5]
    }()

    public static let versions = 2...5

    public let version: Int
    /// The capture window, milliseconds.
    public let windowMs: Int64
    private let skipThreshold: UInt64
    private let vocabulary: FlowVocabulary
    /// Per identity: account, VPC, subnet, region, zone.
    private let accounts: StringTable
    private let vpcs: StringTable
    private let subnetIDs: StringTable
    private let regions: StringTable
    private let zones: StringTable
    private let services: StringTable
    /// Per host: identity (-1 outside), VPC ordinal, region ordinal, service entry (0: none).
    private let identityOf: [Int32]
    private let vpcOf: [Int32]
    private let regionOf: [Int32]
    private let serviceOf: [Int32]
    public let maxRecordBytes: Int

    /// - Parameters:
    ///   - windowMs: the capture window (the simulation's aggregation window).
    ///   - skipProbability: the chance that an interface's window is `SKIPDATA`.
    public init(vocabulary: FlowVocabulary, version: Int, windowMs: Int64 = 60_000, skipProbability: Double = 0) {
        precondition(Self.versions.contains(version))
        self.version = version
        self.windowMs = windowMs
        self.vocabulary = vocabulary
        skipThreshold = skipProbability <= 0 ? 0 : UInt64(min(skipProbability, 1) * 0x1.0p63) << 1
        let ids = vocabulary.identities
        let plain: (String) -> [UInt8] = { Array($0.utf8) }
        accounts = StringTable(ids.map(\.accountID), escape: plain)
        vpcs = StringTable(ids.map(\.vpcID), escape: plain)
        subnetIDs = StringTable(ids.map(\.subnetID), escape: plain)
        regions = StringTable(ids.map(\.region), escape: plain)
        zones = StringTable(ids.map(\.zoneID), escape: plain)
        let serviceNames = ["-"] + Array(Set(vocabulary.hosts.compactMap(\.awsService))).sorted()
        services = StringTable(serviceNames, escape: plain)
        let vpcNames = Array(Set(ids.map(\.vpcID))).sorted()
        let regionNames = Array(Set(ids.map(\.region))).sorted()
        identityOf = vocabulary.hosts.map { Int32($0.identity ?? -1) }
        vpcOf = vocabulary.hosts.map { host in host.identity.map { Int32(vpcNames.firstIndex(of: ids[$0].vpcID)!) } ?? -1 }
        regionOf = vocabulary.hosts.map { host in host.identity.map { Int32(regionNames.firstIndex(of: ids[$0].region)!) } ?? -1 }
        serviceOf = vocabulary.hosts.map { host in Int32(host.awsService.flatMap { serviceNames.firstIndex(of: $0) } ?? 0) }
        let strings = accounts.maxLength + vpcs.maxLength + subnetIDs.maxLength + regions.maxLength + zones.maxLength + 2 * services.maxLength
        maxRecordBytes = 4 * (420 + strings)
    }

    /// The header line of `version`.
    public static func header(version: Int) -> [UInt8] {
        Array((fieldsByVersion[version]!.joined(separator: " ") + "\n").utf8)
    }

    /// Whether host `host` has an interface (is inside a VPC).
    @inline(__always)
    public func hasInterface(_ host: Int) -> Bool { identityOf[host] >= 0 }

    /// Whether the interface of `host` skips capture window `window` (its lines are left out and
    /// the window is reported as `SKIPDATA`).
    @inline(__always)
    public func skips(host: Int, window: Int64) -> Bool {
        guard skipThreshold > 0 else { return false }
        var x = vocabulary.hosts[host].interfaceBits ^ UInt64(bitPattern: window) &* 0x9E37_79B9_7F4A_7C15
        x = (x ^ (x >> 31)) &* 0xBF58_476D_1CE4_E5B9
        return (x ^ (x >> 29)) < skipThreshold
    }

    @inline(__always)
    public func window(ofMs ms: Int64) -> Int64 { ms >= 0 ? ms / windowMs : (ms - windowMs + 1) / windowMs }

    /// Appends `count` records' lines and stores, for each, the buffer offset just past its last line.
    public func encode(_ events: UnsafePointer<FlowEvent>, count: Int, into buffer: inout WriteBuffer, recordEnds: UnsafeMutablePointer<Int>) {
        buffer.reserve(count * maxRecordBytes)
        let base = buffer.base
        buffer.withWriter { start in
            var p = start
            for i in 0..<count {
                write(&p, events[i], base: base, hook: nil)
                recordEnds[i] = p - base
            }
            return p
        }
    }

    /// Appends one record's lines and tells `line` each line's interface host and byte range.
    public func encodeLines(_ e: FlowEvent, into buffer: inout WriteBuffer, line: (_ host: Int, _ bytes: Range<Int>) -> Void) {
        buffer.reserve(maxRecordBytes)
        let base = buffer.base
        withoutActuallyEscaping(line) { line in
            buffer.withWriter { start in
                var p = start
                write(&p, e, base: base, hook: line)
                return p
            }
        }
    }

    /// The status line of ``writeStatus(_:host:window:skipped:)``, appended to `buffer`.
    public func appendStatus(host: Int, window: Int64, skipped: Bool, into buffer: inout WriteBuffer) {
        buffer.reserve(maxStatusBytes)
        buffer.withWriter { start in
            var p = start
            writeStatus(&p, host: host, window: window, skipped: skipped)
            return p
        }
    }

    // MARK: - Lines

    @inline(__always)
    private static func space(_ p: inout UnsafeMutablePointer<UInt8>) { ByteWriting.byte(&p, UInt8(ascii: " ")) }

    /// `prefix` then a leading 0 and 16 hex digits, as AWS resource ids look.
    @inline(__always)
    static func resourceID(_ p: inout UnsafeMutablePointer<UInt8>, _ prefix: StaticString, _ bits: UInt64) {
        ByteWriting.literal(&p, prefix)
        ByteWriting.byte(&p, UInt8(ascii: "0"))
        let hex = ByteWriting.hexPairs
        for i in stride(from: 56, through: 0, by: -8) {
            let b = Int(truncatingIfNeeded: bits >> UInt64(i)) & 0xff
            p[0] = hex[2 * b]
            p[1] = hex[2 * b + 1]
            p += 2
        }
    }

    /// The TCP flags of one direction as AWS reports them: FIN 1, SYN 2, RST 4, SYN-ACK 18. Only
    /// the answering side sends a SYN-ACK; the client's SYN and its later ACKs are 2.
    @inline(__always)
    static func reported(_ flags: TCPFlags, answering: Bool) -> UInt64 {
        var value = UInt64(flags.rawValue & (TCPFlags.fin.rawValue | TCPFlags.syn.rawValue | TCPFlags.rst.rawValue))
        if answering && flags.contains(.syn) && flags.contains(.ack) { value |= UInt64(TCPFlags.ack.rawValue) }
        return value
    }

    /// One line of one direction at one interface.
    struct Line {
        var host: Int
        var egress: Bool
        var source: IPv4Address
        var destination: IPv4Address
        var sourcePort: UInt16
        var destinationPort: UInt16
        var packets: Int64
        var bytes: Int64
        var flags: TCPFlags
        var reject: Bool
        /// The other end (for the traffic path and AWS service names).
        var peer: Int
        var sourceHost: Int
        var destinationHost: Int
    }

    @inline(__always)
    private func write(_ p: inout UnsafeMutablePointer<UInt8>, _ e: FlowEvent, base: UnsafeMutablePointer<UInt8>, hook: ((Int, Range<Int>) -> Void)?) {
        let src = Int(e.srcHost), dst = Int(e.dstHost)
        let window = self.window(ofMs: e.startMs)
        var first = true
        @inline(__always) func emit(_ line: Line) {
            if skips(host: line.host, window: window) { return }
            let lineStart = p
            write(&p, e, line, broken: first ? e.malformation : nil)
            if first, let fraction = e.malformation.flatMap({ $0.kind == .truncated ? $0.variant & 0xffff : nil }) {
                let length = p - lineStart - 1
                p = lineStart + 8 + Int(fraction) * max(length - 8, 0) / 65_536
                ByteWriting.byte(&p, UInt8(ascii: "\n"))
            }
            first = false
            hook?(line.host, (lineStart - base)..<(p - base))
        }
        let forward = (e.srcIP, e.dstIP, e.srcPort, e.dstPort)
        if hasInterface(src) {
            emit(Line(host: src, egress: true, source: forward.0, destination: forward.1, sourcePort: forward.2, destinationPort: forward.3,
                      packets: Int64(e.packetsSent), bytes: e.bytesSent, flags: e.clientFlags, reject: false, peer: dst, sourceHost: src, destinationHost: dst))
            if e.packetsReceived > 0 {
                emit(Line(host: src, egress: false, source: forward.1, destination: forward.0, sourcePort: forward.3, destinationPort: forward.2,
                          packets: Int64(e.packetsReceived), bytes: e.bytesReceived, flags: e.serverFlags, reject: false, peer: dst, sourceHost: dst, destinationHost: src))
            }
        }
        if hasInterface(dst) {
            emit(Line(host: dst, egress: false, source: forward.0, destination: forward.1, sourcePort: forward.2, destinationPort: forward.3,
                      packets: Int64(e.packetsSent), bytes: e.bytesSent, flags: e.clientFlags, reject: e.rejected, peer: src, sourceHost: src, destinationHost: dst))
            if e.packetsReceived > 0 && !e.rejected {
                emit(Line(host: dst, egress: true, source: forward.1, destination: forward.0, sourcePort: forward.3, destinationPort: forward.2,
                          packets: Int64(e.packetsReceived), bytes: e.bytesReceived, flags: e.serverFlags, reject: false, peer: src, sourceHost: dst, destinationHost: src))
            }
        }
    }

    @inline(__always)
    private func write(_ p: inout UnsafeMutablePointer<UInt8>, _ e: FlowEvent, _ line: Line, broken: Malformation?) {
        let plan = MalformationPlan(broken)
        let variant = broken?.variant ?? 0
        let dash = UInt8(ascii: "-")
        @inline(__always) func number(_ field: FlowRecordField, _ value: Int64) {
            if plan.missing == field {
                ByteWriting.byte(&p, dash)
            } else if plan.outOfRange == field {
                ByteWriting.signed(&p, plan.outOfRangeValue(field, variant: variant))
            } else if plan.wrongType == field {
                ByteWriting.literal(&p, "n/a")
            } else {
                ByteWriting.signed(&p, value)
            }
            Self.space(&p)
        }
        @inline(__always) func address(_ field: FlowRecordField, _ value: IPv4Address) {
            if plan.missing == field {
                ByteWriting.byte(&p, dash)
            } else if plan.badIP == field {
                ByteWriting.literal(&p, plan.badIPText)
            } else {
                ByteWriting.ipv4(&p, value.value)
            }
            Self.space(&p)
        }
        let identity = Int(identityOf[line.host])
        let tagsMissing = plan.missing == .tags
        let isICMP = e.transport == .icmp
        let forward = line.sourceHost == Int(e.srcHost)
        let bits = vocabulary.hosts[line.host].interfaceBits

        ByteWriting.unsigned(&p, UInt64(version))
        Self.space(&p)
        if tagsMissing { ByteWriting.byte(&p, dash) } else { accounts.write(&p, identity) }
        Self.space(&p)
        Self.resourceID(&p, "eni-", bits)
        Self.space(&p)
        address(forward ? .srcIP : .dstIP, line.source)
        address(forward ? .dstIP : .srcIP, line.destination)
        number(forward ? .srcPort : .dstPort, isICMP ? 0 : Int64(line.sourcePort))
        number(forward ? .dstPort : .srcPort, isICMP ? 0 : Int64(line.destinationPort))
        if plan.missing == .transport {
            ByteWriting.byte(&p, dash)
        } else if plan.wrongType == .transport {
            ByteWriting.literal(&p, e.transport.staticName)
        } else {
            ByteWriting.unsigned(&p, UInt64(e.transport.rawValue))
        }
        Self.space(&p)
        number(.packetsSent, line.packets)
        number(.bytesSent, line.bytes)
        let startSeconds = e.startMs >= 0 ? e.startMs / 1000 : (e.startMs - 999) / 1000
        let endSeconds = e.endMs >= 0 ? (e.endMs + 999) / 1000 : e.endMs / 1000
        number(.timestamp, startSeconds)
        // The end comes from the record's end: a broken timestamp or latency breaks it too.
        if plan.missing == .timestamp || plan.missing == .latencyMs {
            ByteWriting.byte(&p, dash)
        } else if plan.wrongType == .timestamp || plan.wrongType == .latencyMs {
            ByteWriting.literal(&p, "n/a")
        } else if plan.outOfRange == .latencyMs {
            // A negative latency: the flow ends before it starts.
            ByteWriting.signed(&p, startSeconds - 1 + plan.outOfRangeValue(.latencyMs, variant: variant) / 1000)
        } else {
            ByteWriting.signed(&p, max(endSeconds, startSeconds))
        }
        Self.space(&p)
        ByteWriting.literal(&p, line.reject ? "REJECT OK" : "ACCEPT OK")
        if version >= 3 {
            Self.space(&p)
            if tagsMissing { ByteWriting.byte(&p, dash) } else { vpcs.write(&p, identity) }
            Self.space(&p)
            subnetIDs.write(&p, identity)
            Self.space(&p)
            Self.resourceID(&p, "i-", bits ^ 0x5A5A_5A5A)
            Self.space(&p)
            if plan.missing == .flags {
                ByteWriting.byte(&p, dash)
            } else if plan.wrongType == .flags {
                if line.flags.isEmpty { ByteWriting.literal(&p, "n/a") } else { WireNames.flags(&p, line.flags, quote: false, separator: UInt8(ascii: ",")) }
            } else {
                ByteWriting.unsigned(&p, e.transport == .tcp ? Self.reported(line.flags, answering: line.sourceHost == Int(e.dstHost)) : 0)
            }
            ByteWriting.literal(&p, " IPv4 ")
            address(forward ? .srcIP : .dstIP, line.source)
            address(forward ? .dstIP : .srcIP, line.destination)
            p -= 1  // the last field's space
        }
        if version >= 4 {
            Self.space(&p)
            if tagsMissing {
                ByteWriting.literal(&p, "- -")
            } else {
                regions.write(&p, identity)
                Self.space(&p)
                zones.write(&p, identity)
            }
            ByteWriting.literal(&p, " - -")
        }
        if version >= 5 {
            Self.space(&p)
            services.write(&p, Int(serviceOf[line.sourceHost]))
            Self.space(&p)
            services.write(&p, Int(serviceOf[line.destinationHost]))
            if line.egress {
                ByteWriting.literal(&p, " egress ")
                let peer = line.peer
                if identityOf[peer] < 0 {
                    ByteWriting.byte(&p, serviceOf[peer] != 0 ? UInt8(ascii: "7") : UInt8(ascii: "8"))
                } else if vpcOf[peer] == vpcOf[line.host] {
                    ByteWriting.byte(&p, UInt8(ascii: "1"))
                } else {
                    ByteWriting.byte(&p, regionOf[peer] == regionOf[line.host] ? UInt8(ascii: "4") : UInt8(ascii: "5"))
                }
            } else {
                ByteWriting.literal(&p, " ingress -")
            }
        }
        ByteWriting.byte(&p, UInt8(ascii: "\n"))
    }

    /// A line reporting that `host`'s interface logged nothing in a capture window (`NODATA`) or
    /// left records out (`SKIPDATA`).
    public func writeStatus(_ p: inout UnsafeMutablePointer<UInt8>, host: Int, window: Int64, skipped: Bool) {
        let identity = Int(identityOf[host])
        let bits = vocabulary.hosts[host].interfaceBits
        ByteWriting.unsigned(&p, UInt64(version))
        Self.space(&p)
        accounts.write(&p, identity)
        Self.space(&p)
        Self.resourceID(&p, "eni-", bits)
        ByteWriting.literal(&p, " - - - - - - - ")
        let start = window * windowMs
        ByteWriting.signed(&p, start / 1000)
        Self.space(&p)
        ByteWriting.signed(&p, (start + windowMs) / 1000)
        ByteWriting.literal(&p, skipped ? " - SKIPDATA" : " - NODATA")
        if version >= 3 {
            Self.space(&p)
            vpcs.write(&p, identity)
            Self.space(&p)
            subnetIDs.write(&p, identity)
            Self.space(&p)
            Self.resourceID(&p, "i-", bits ^ 0x5A5A_5A5A)
            ByteWriting.literal(&p, " - - - -")
        }
        if version >= 4 {
            Self.space(&p)
            regions.write(&p, identity)
            Self.space(&p)
            zones.write(&p, identity)
            ByteWriting.literal(&p, " - -")
        }
        if version >= 5 { ByteWriting.literal(&p, " - - - -") }
        ByteWriting.byte(&p, UInt8(ascii: "\n"))
    }

    /// The most bytes ``writeStatus(_:host:window:skipped:)`` writes.
    public var maxStatusBytes: Int { maxRecordBytes / 4 }
}
