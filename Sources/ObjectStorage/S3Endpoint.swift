import Foundation

/// Where S3 requests go: scheme, host and port of AWS, MinIO, moto or any S3-compatible server.
public struct S3Endpoint: Sendable, Hashable, CustomStringConvertible {
    /// `http` or `https`.
    public var scheme: String
    /// A name or address; an IPv6 address keeps its brackets (`[::1]`).
    public var host: String
    /// Nil for the scheme's default port.
    public var port: Int?

    public init(scheme: String, host: String, port: Int? = nil) {
        self.scheme = scheme.lowercased()
        self.host = host
        self.port = port
    }

    /// AWS's regional endpoint, `https://s3.<region>.amazonaws.com`.
    public static func aws(region: String) -> S3Endpoint {
        S3Endpoint(scheme: "https", host: "s3.\(region).amazonaws.com")
    }

    /// Parses `http(s)://host[:port][/]`, or MinIO's bare `host[:port]` (https when `secure`).
    /// Nil for anything else (a path, a user, another scheme, a bad port).
    public init?(parsing text: String, secure: Bool = false) {
        var rest = Substring(text.trimmingWhitespace())
        var scheme = secure ? "https" : "http"
        if let range = rest.range(of: "://") {
            scheme = rest[..<range.lowerBound].lowercased()
            guard scheme == "http" || scheme == "https" else { return nil }
            rest = rest[range.upperBound...]
        }
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        guard !rest.isEmpty, !rest.contains("/"), !rest.contains("@"), !rest.contains("?"), !rest.contains("#"), !rest.contains(" ") else {
            return nil
        }
        var host = rest
        var port: Int?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return nil }
            host = rest[...close]
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":"), let number = Int(after.dropFirst()) else { return nil }
                port = number
            }
        } else if let colon = rest.lastIndex(of: ":") {
            host = rest[..<colon]
            guard let number = Int(rest[rest.index(after: colon)...]) else { return nil }
            port = number
        }
        if let value = port, !(1...65_535).contains(value) { return nil }
        guard !host.isEmpty, host != "[]" else { return nil }
        self.init(scheme: scheme, host: String(host).lowercased(), port: port)
    }

    public var isSecure: Bool { scheme == "https" }

    /// `host` or `host:port` when the port is not the scheme's default: the `Host` header.
    public var authority: String {
        guard let port, port != (isSecure ? 443 : 80) else { return host }
        return "\(host):\(port)"
    }

    public var description: String { "\(scheme)://\(authority)" }
}

extension String {
    func trimmingWhitespace() -> String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text = text.dropFirst() }
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        return String(text)
    }
}
