import TelemetryModel

/// Firewall logs of the flow records: one RFC 5424 syslog message per record, whose text is an
/// ArcSight CEF event of the security group's decision. A session the server's security group
/// refused is denied (`act=deny`, signature 200, syslog severity warning); every other session is
/// allowed (`act=allow`, signature 100, informational). Facility local0.
///
/// `<134>1 2026-11-22T08:00:00.386Z HOST netchaos - flow [netchaos@32473 generator_id="gen-…" seq="12"]
/// CEF:0|NetChaos|netchaos-firewall|1.0|100|Flow allowed|3|start=… end=… src=… spt=… dst=… dpt=…
/// proto=TCP act=allow out=… in=… cn1Label=packets_out cn1=… cn2Label=packets_in cn2=…
/// cs1Label=label cs1=… [cs2Label=incident_id cs2=… cs3Label=technique cs3=…]`
///
/// The ground truth is in `cs1`-`cs3` only (and the structured data's `seq`); nothing in the
/// header or severity follows the label.
public struct FlowCEFEncoder: Sendable {
    /// The syslog HOSTNAME: the firewall that logs.
    public let hostname: String
    public let generatorID: String
    /// RFC 5424's structured-data id: `netchaos@32473` (the documentation enterprise number, RFC 5612).
    public static let structuredDataID = "netchaos@32473"

    public init(hostname: String = "netchaos-fw", generatorID: String) {
        self.hostname = hostname
        self.generatorID = generatorID
    }

    /// Appends the message of `e`, with a trailing newline when `newline` (files and stdout).
    public func encode(_ e: FlowEvent, into out: inout WriteBuffer, newline: Bool = true) {
        out.reserve(768 + hostname.utf8.count + generatorID.utf8.count)
        let denied = e.rejected
        out.withWriter { start in
            var p = start
            ByteWriting.literal(&p, denied ? "<132>1 " : "<134>1 ")
            ByteWriting.rfc3339(&p, millis: e.endMs)
            ByteWriting.byte(&p, UInt8(ascii: " "))
            for byte in hostname.utf8 { ByteWriting.byte(&p, byte) }
            ByteWriting.literal(&p, " netchaos - flow [netchaos@32473 generator_id=\"")
            for byte in generatorID.utf8 { ByteWriting.byte(&p, byte) }
            ByteWriting.literal(&p, "\" seq=\"")
            ByteWriting.signed(&p, e.seq)
            ByteWriting.literal(&p, "\"] CEF:0|NetChaos|netchaos-firewall|1.0|")
            ByteWriting.literal(&p, denied ? "200|Flow denied|5|" : "100|Flow allowed|3|")
            ByteWriting.literal(&p, "start=")
            ByteWriting.signed(&p, e.startMs)
            ByteWriting.literal(&p, " end=")
            ByteWriting.signed(&p, e.endMs)
            ByteWriting.literal(&p, " src=")
            ByteWriting.ipv4(&p, e.srcIP.value)
            if e.transport != .icmp {
                ByteWriting.literal(&p, " spt=")
                ByteWriting.unsigned(&p, UInt64(e.srcPort))
            }
            ByteWriting.literal(&p, " dst=")
            ByteWriting.ipv4(&p, e.dstIP.value)
            if e.transport != .icmp {
                ByteWriting.literal(&p, " dpt=")
                ByteWriting.unsigned(&p, UInt64(e.dstPort))
            }
            ByteWriting.literal(&p, " proto=")
            ByteWriting.literal(&p, e.transport.staticName)
            ByteWriting.literal(&p, denied ? " act=deny" : " act=allow")
            ByteWriting.literal(&p, " out=")
            ByteWriting.signed(&p, max(0, e.bytesSent))
            ByteWriting.literal(&p, " in=")
            ByteWriting.signed(&p, max(0, e.bytesReceived))
            ByteWriting.literal(&p, " cn1Label=packets_out cn1=")
            ByteWriting.signed(&p, Int64(max(0, e.packetsSent)))
            ByteWriting.literal(&p, " cn2Label=packets_in cn2=")
            ByteWriting.signed(&p, Int64(max(0, e.packetsReceived)))
            ByteWriting.literal(&p, " cs1Label=label cs1=")
            ByteWriting.literal(&p, e.anomalies.primaryLabel.staticName)
            if !e.incident.isNone {
                ByteWriting.literal(&p, " cs2Label=incident_id cs2=inc-")
                ByteWriting.hex64(&p, e.incident.rawValue)
                if let technique = e.incident.family.technique {
                    ByteWriting.literal(&p, " cs3Label=technique cs3=")
                    ByteWriting.literal(&p, technique)
                }
            }
            if newline { ByteWriting.byte(&p, UInt8(ascii: "\n")) }
            return p
        }
    }
}
