import Settings
import TelemetryFormats

/// A NetFlow v9 or IPFIX collector to export flows to over UDP, and how:
/// `netflow://HOST:PORT?version=9|10&mtu=1400&template_packets=20&template_seconds=60&sampling=1&domain=1&labels=PATH`.
public struct NetFlowTarget: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var options: NetFlowExportOptions
    /// A JSON-lines file of every exported flow's ground truth, keyed by its 5-tuple and start.
    public var labelsPath: String?

    public init(host: String, port: Int, options: NetFlowExportOptions = NetFlowExportOptions(), labelsPath: String? = nil) {
        self.host = host
        self.port = port
        self.options = options
        self.labelsPath = labelsPath
    }

    static let allowed = "netflow://HOST:PORT[?version=9|10&mtu=BYTES&template_packets=N&template_seconds=N&sampling=N&domain=N&labels=PATH]"

    /// Parses `netflow://HOST:PORT[?...]`; `ipfix://` is the same with version 10.
    public init(parsing text: String) throws(ConfigurationError) {
        func fail(_ why: String) -> ConfigurationError { ConfigurationError(key: Knobs.output.outputs.key, value: text, allowed: "\(Self.allowed): \(why)") }
        let lower = text.lowercased()
        let ipfix = lower.hasPrefix("ipfix://")
        let rest = text.dropFirst(ipfix ? "ipfix://".count : "netflow://".count)
        let parts = rest.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let address = parts[0]
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]), (1...65_535).contains(port),
              colon > address.startIndex else {
            throw fail("HOST:PORT of the collector, such as 127.0.0.1:2055")
        }
        var host = String(address[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        var options = NetFlowExportOptions(version: ipfix ? .ipfix : .v9)
        var labels: String?
        if parts.count > 1 {
            for pair in parts[1].split(separator: "&") {
                let item = pair.split(separator: "=", maxSplits: 1).map(String.init)
                guard item.count == 2, !item[1].isEmpty else { throw fail("'\(pair)' is not NAME=VALUE") }
                let (name, value) = (item[0].lowercased(), item[1])
                func number(_ range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
                    guard let n = Int(value), range.contains(n) else { throw fail("\(name) takes \(range.lowerBound)-\(range.upperBound)") }
                    return n
                }
                switch name {
                case "version":
                    guard let version = Int(value).flatMap(NetFlowExportOptions.Version.init(rawValue:)) else { throw fail("version takes 9 (NetFlow v9) or 10 (IPFIX)") }
                    options.version = version
                case "mtu": options.maxPacketBytes = try number(NetFlowExportOptions.minimumPacketBytes...65_507)
                case "template_packets": options.templateRefreshPackets = try number(1...1_000_000)
                case "template_seconds": options.templateRefreshSeconds = try number(1...86_400)
                case "sampling": options.samplingInterval = try number(1...1_000_000)
                case "domain": options.domainID = UInt32(try number(0...Int(UInt32.max)))
                case "labels": labels = value
                default: throw fail("unknown option '\(name)'")
                }
            }
        }
        self.init(host: host, port: port, options: options, labelsPath: labels)
    }

    public var description: String { "\(options.version == .ipfix ? "ipfix" : "netflow")://\(host):\(port)" }
}
