/// Where Redis is and how long to wait for it. `REDIS_URL` (`redis://[:password@]host[:port][/db]`)
/// or the Go ingester's `REDIS_HOST` and `REDIS_PORT`.
public struct RedisConfiguration: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var password: String?
    public var database: Int
    /// Connections commands are spread over (each pipelines every command given to it).
    public var connections: Int
    public var connectTimeout: Double
    public var commandTimeout: Double
    /// Reconnecting waits this long after the first failure, doubling up to `maximumBackoff`.
    public var initialBackoff: Double
    public var maximumBackoff: Double

    public init(
        host: String = "localhost", port: Int = 6379, password: String? = nil, database: Int = 0, connections: Int = 2,
        connectTimeout: Double = 2, commandTimeout: Double = 2, initialBackoff: Double = 0.05, maximumBackoff: Double = 2
    ) {
        self.host = host
        self.port = port
        self.password = password
        self.database = database
        self.connections = connections
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
    }

    /// Parses `redis://[user][:password@]host[:port][/db]`.
    public init?(url: String) {
        guard url.hasPrefix("redis://") else { return nil }
        var rest = Substring(url.dropFirst("redis://".count))
        var password: String?
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = credentials.firstIndex(of: ":") {
                password = String(credentials[credentials.index(after: colon)...]).removingPercentEncodingIfPossible
            } else if !credentials.isEmpty {
                password = String(credentials).removingPercentEncodingIfPossible
            }
        }
        var database = 0
        if let slash = rest.firstIndex(of: "/") {
            let path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
            if !path.isEmpty {
                guard let number = Int(path), number >= 0 else { return nil }
                database = number
            }
        }
        var host = String(rest)
        var port = 6379
        if let colon = rest.lastIndex(of: ":"), !rest.hasSuffix("]") {
            guard let number = Int(rest[rest.index(after: colon)...]), (1...65_535).contains(number) else { return nil }
            port = number
            host = String(rest[..<colon])
        }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return nil }
        self.init(host: host, port: port, password: password, database: database)
    }

    public var description: String {
        "redis://\(password == nil ? "" : ":***@")\(host):\(port)/\(database)"
    }
}

extension String {
    /// `%40` -> `@` where the text is percent-encoded; the text itself otherwise.
    var removingPercentEncodingIfPossible: String {
        guard contains("%") else { return self }
        var bytes: [UInt8] = []
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
               let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) {
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
