/// The application protocol written in `app_layer.protocol`.
public enum AppProtocol: UInt8, Sendable, BitwiseCopyable, CaseIterable, Hashable {
    case http11, http2, dns, postgresql, mysql, redis, ntp, icmp, tcp, tls, ssh, udp

    @inlinable public var staticName: StaticString {
        switch self {
        case .http11: "HTTP/1.1"
        case .http2: "HTTP/2"
        case .dns: "DNS"
        case .postgresql: "PostgreSQL"
        case .mysql: "MySQL"
        case .redis: "RESP"
        case .ntp: "NTP"
        case .icmp: "ICMP"
        case .tcp: "TCP"
        case .tls: "TLS"
        case .ssh: "SSH"
        case .udp: "UDP"
        }
    }

    /// The wire name as a `String`.
    public var name: String { staticName.description }

    /// Whether `app_layer.status_code` carries an HTTP status for this protocol.
    @inlinable public var isHTTP: Bool { self == .http11 || self == .http2 }
}

/// The operation written in `app_layer.method`.
public enum AppMethod: UInt8, Sendable, CaseIterable, Hashable {
    case get, post, put, delete, patch, head, options, query, txt, command, sync, echo, syn, handshake

    @inlinable public var staticName: StaticString {
        switch self {
        case .get: "GET"
        case .post: "POST"
        case .put: "PUT"
        case .delete: "DELETE"
        case .patch: "PATCH"
        case .head: "HEAD"
        case .options: "OPTIONS"
        case .query: "QUERY"
        case .txt: "TXT"
        case .command: "COMMAND"
        case .sync: "SYNC"
        case .echo: "ECHO"
        case .syn: "SYN"
        case .handshake: "HANDSHAKE"
        }
    }

    /// The wire name as a `String`.
    public var name: String { staticName.description }
}
