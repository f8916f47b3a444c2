import Settings

/// A syslog receiver for firewall logs: `syslog://HOST:PORT[?transport=udp|tcp]` (UDP by default,
/// as RFC 5426; TCP with octet-counting framing, as RFC 6587).
public struct SyslogTarget: Sendable, Hashable, CustomStringConvertible {
    public enum Transport: String, Sendable, Hashable { case udp, tcp }

    public var host: String
    public var port: Int
    public var transport: Transport

    public init(host: String, port: Int, transport: Transport = .udp) {
        self.host = host
        self.port = port
        self.transport = transport
    }

    public init(parsing text: String) throws(ConfigurationError) {
        func fail(_ why: String) -> ConfigurationError {
            ConfigurationError(key: Knobs.output.outputs.key, value: text, allowed: "syslog://HOST:PORT[?transport=udp|tcp]: \(why)")
        }
        let parts = text.dropFirst("syslog://".count).split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let address = parts[0]
        guard let colon = address.lastIndex(of: ":"), colon > address.startIndex, let port = Int(address[address.index(after: colon)...]),
              (1...65_535).contains(port) else {
            throw fail("HOST:PORT of the receiver, such as 127.0.0.1:514")
        }
        var transport = Transport.udp
        if parts.count > 1 {
            for pair in parts[1].split(separator: "&") {
                let item = pair.split(separator: "=", maxSplits: 1).map { String($0).lowercased() }
                guard item.count == 2, item[0] == "transport", let value = Transport(rawValue: item[1]) else {
                    throw fail("'\(pair)' is not transport=udp or transport=tcp")
                }
                transport = value
            }
        }
        self.init(host: String(address[..<colon]), port: port, transport: transport)
    }

    public var description: String { "syslog://\(host):\(port)" + (transport == .tcp ? "?transport=tcp" : "") }
}
