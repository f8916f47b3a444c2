import TelemetryModel

/// Writes flow events as AWS VPC Flow Logs text (versions 2 to 5): the version's fields in AWS's
/// order, space separated, `-` where a field does not apply; a header line of field names starts
/// each file, as in the logs AWS delivers to S3.
///
/// Values come from the event: addresses, ports, IANA protocol number, packets and bytes sent,
/// start and end (Unix seconds), ACCEPT or REJECT (port-scan probes are rejected), TCP flags OR-ed
/// as AWS reports them (FIN 1, SYN 2, RST 4, SYN-ACK 18). Account, VPC, subnet, instance and
/// interface ids are derived from the event's environment, region and inside address, so one host
/// keeps its ids. Malformed records are broken like the CSV ones: a missing field is `-`, a wrong
/// type is text in a number field, out-of-range numbers and bad addresses are written as they
/// are, truncated lines are cut. The ground truth is not in this format: write JSON lines or
/// Parquet of the same run beside it (same order).
public final class FlowVPCEncoder: @unchecked Sendable {
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
    private let regions: StringTable
    private let zonePrefixes: StringTable
    /// Whether a region's name has AWS's form (else its zone id is `-`).
    private let zoneKnown: [Bool]
    public let maxRecordBytes: Int

    public init(vocabulary: FlowVocabulary, version: Int) {
        precondition(Self.versions.contains(version))
        self.version = version
        regions = StringTable(vocabulary.regions) { Array($0.utf8) }
        zonePrefixes = StringTable(vocabulary.regions.map(Self.zonePrefix)) { Array($0.utf8) }
        zoneKnown = vocabulary.regions.map { Self.zonePrefix($0) != "-" }
        maxRecordBytes = 520 + 2 * regions.maxLength + zonePrefixes.maxLength
    }

    /// The header line of `version`.
    public static func header(version: Int) -> [UInt8] {
        Array((fieldsByVersion[version]!.joined(separator: " ") + "\n").utf8)
    }

    /// The zone-id prefix of a region name (`us-east-1` -> `use1`, `ap-southeast-2` -> `apse2`), or
    /// `-` when the name is not in AWS's form.
    static func zonePrefix(_ region: String) -> String {
        let parts = region.split(separator: "-")
        let directions = ["east": "e", "west": "w", "north": "n", "south": "s", "central": "c",
                          "northeast": "ne", "northwest": "nw", "southeast": "se", "southwest": "sw"]
        guard parts.count == 3, let direction = directions[String(parts[1])], parts[2].allSatisfy(\.isNumber) else { return "-" }
        return parts[0] + direction + parts[2]
    }

    /// Appends `count` lines and stores, for each, the buffer offset just past its newline.
    public func encode(_ events: UnsafePointer<FlowEvent>, count: Int, into buffer: inout ByteBuffer, recordEnds: UnsafeMutablePointer<Int>) {
        buffer.reserve(count * maxRecordBytes)
        let base = buffer.base
        buffer.withWriter { start in
            var p = start
            for i in 0..<count {
                let lineStart = p
                write(&p, events[i])
                if let fraction = events[i].malformation.flatMap({ $0.kind == .truncated ? $0.variant & 0xffff : nil }) {
                    let length = p - lineStart - 1
                    p = lineStart + 8 + Int(fraction) * max(length - 8, 0) / 65_536
                    ByteWriting.byte(&p, UInt8(ascii: "\n"))
                }
                recordEnds[i] = p - base
            }
            return p
        }
    }

    // MARK: - One line

    @inline(__always)
    private static func isInside(_ address: IPv4Address) -> Bool {
        address.value >> 24 == 10 || address.value >> 20 == 0xAC1 || address.value >> 16 == 0xC0A8
    }

    @inline(__always)
    private static func mix(_ value: UInt64) -> UInt64 {
        var x = value &+ 0x9E37_79B9_7F4A_7C15
        x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
        x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
        return x ^ (x >> 31)
    }

    /// `prefix` then 17 hex digits (a leading 0 and 64 bits), as AWS resource ids look.
    @inline(__always)
    private static func resourceID(_ p: inout UnsafeMutablePointer<UInt8>, _ prefix: StaticString, _ bits: UInt64) {
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

    @inline(__always)
    private func write(_ p: inout UnsafeMutablePointer<UInt8>, _ e: FlowEvent) {
        let plan = MalformationPlan(e.malformation)
        let variant = e.malformation?.variant ?? 0
        let space = UInt8(ascii: " ")
        let dash = UInt8(ascii: "-")
        @inline(__always) func number(_ field: FlowField, _ value: Int64) {
            if plan.missing == field {
                ByteWriting.byte(&p, dash)
            } else if plan.outOfRange == field {
                ByteWriting.signed(&p, plan.outOfRangeValue(field, variant: variant))
            } else if plan.wrongType == field {
                ByteWriting.literal(&p, "n/a")
            } else {
                ByteWriting.signed(&p, value)
            }
            ByteWriting.byte(&p, space)
        }
        @inline(__always) func address(_ field: FlowField, _ value: IPv4Address) {
            if plan.missing == field {
                ByteWriting.byte(&p, dash)
            } else if plan.badIP == field {
                ByteWriting.literal(&p, plan.badIPText)
            } else {
                ByteWriting.ipv4(&p, value.value)
            }
            ByteWriting.byte(&p, space)
        }
        // The endpoint inside the VPC owns the interface; traffic from outside is ingress.
        let egress = Self.isInside(e.srcIP) || !Self.isInside(e.dstIP)
        let local = egress ? e.srcIP : e.dstIP
        let hostBits = Self.mix(UInt64(local.value))
        let tagsMissing = plan.missing == .tags
        let isICMP = e.transport == .icmp

        ByteWriting.unsigned(&p, UInt64(version))
        ByteWriting.byte(&p, space)
        if tagsMissing {
            ByteWriting.byte(&p, dash)
        } else {
            ByteWriting.unsigned(&p, 210_000_000_000 + UInt64(e.environment) * 7_919_117)
        }
        ByteWriting.byte(&p, space)
        Self.resourceID(&p, "eni-", hostBits)
        ByteWriting.byte(&p, space)
        address(.srcIP, e.srcIP)
        address(.dstIP, e.dstIP)
        number(.srcPort, isICMP ? 0 : Int64(e.srcPort))
        number(.dstPort, isICMP ? 0 : Int64(e.dstPort))
        if plan.missing == .transport {
            ByteWriting.byte(&p, dash)
        } else if plan.wrongType == .transport {
            ByteWriting.literal(&p, e.transport.staticName)
        } else {
            ByteWriting.unsigned(&p, UInt64(e.transport.rawValue))
        }
        ByteWriting.byte(&p, space)
        number(.packetsSent, Int64(e.packetsSent))
        number(.bytesSent, e.bytesSent)
        number(.timestamp, e.timestamp)
        // The end comes from the latency: a broken timestamp or latency breaks it too.
        if plan.missing == .timestamp || plan.missing == .latencyMs {
            ByteWriting.byte(&p, dash)
        } else if plan.wrongType == .timestamp || plan.wrongType == .latencyMs {
            ByteWriting.literal(&p, "n/a")
        } else if plan.outOfRange == .latencyMs {
            // A negative latency: the flow ends before it starts.
            ByteWriting.signed(&p, e.timestamp - 1 + plan.outOfRangeValue(.latencyMs, variant: variant) / 1000)
        } else {
            ByteWriting.signed(&p, e.timestamp + max(1, (Int64(e.latencyMs) + 999) / 1000))
        }
        ByteWriting.byte(&p, space)
        ByteWriting.literal(&p, e.anomalies.contains(.portScan) ? "REJECT OK" : "ACCEPT OK")
        if version >= 3 {
            ByteWriting.byte(&p, space)
            if tagsMissing {
                ByteWriting.byte(&p, dash)
            } else {
                Self.resourceID(&p, "vpc-", Self.mix(UInt64(e.environment) << 8 | UInt64(e.region)))
            }
            ByteWriting.byte(&p, space)
            Self.resourceID(&p, "subnet-", Self.mix(UInt64(local.value >> 8) | 1 << 40))
            ByteWriting.byte(&p, space)
            if Self.isInside(local) { Self.resourceID(&p, "i-", hostBits ^ 0x5A5A) } else { ByteWriting.byte(&p, dash) }
            ByteWriting.byte(&p, space)
            if plan.missing == .flags {
                ByteWriting.byte(&p, dash)
            } else if plan.wrongType == .flags {
                if e.flags.isEmpty { ByteWriting.literal(&p, "n/a") } else { WireNames.flags(&p, e.flags, quote: false, separator: UInt8(ascii: ",")) }
            } else {
                let raw = e.flags.rawValue
                var reported = raw & (TCPFlags.fin.rawValue | TCPFlags.syn.rawValue | TCPFlags.rst.rawValue)
                if e.flags.contains(.syn) && e.flags.contains(.ack) { reported |= TCPFlags.ack.rawValue }
                ByteWriting.unsigned(&p, e.transport == .tcp ? UInt64(reported) : 0)
            }
            ByteWriting.literal(&p, " IPv4 ")
            address(.srcIP, e.srcIP)
            address(.dstIP, e.dstIP)
            p -= 1  // the last field's space
        }
        if version >= 4 {
            ByteWriting.byte(&p, space)
            if tagsMissing {
                ByteWriting.literal(&p, "- -")
            } else {
                regions.write(&p, Int(e.region))
                ByteWriting.byte(&p, space)
                if zoneKnown[Int(e.region)] {
                    zonePrefixes.write(&p, Int(e.region))
                    ByteWriting.literal(&p, "-az")
                    ByteWriting.unsigned(&p, 1 + hostBits % 3)
                } else {
                    ByteWriting.byte(&p, dash)
                }
            }
            ByteWriting.literal(&p, " - -")
        }
        if version >= 5 {
            ByteWriting.literal(&p, " - - ")
            if egress {
                ByteWriting.literal(&p, Self.isInside(e.dstIP) ? "egress 1" : "egress 8")
            } else {
                ByteWriting.literal(&p, "ingress -")
            }
        }
        ByteWriting.byte(&p, UInt8(ascii: "\n"))
    }
}
