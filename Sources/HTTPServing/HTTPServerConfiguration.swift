import Configuration
import Foundation
import Settings

/// How one of the process's HTTP servers listens and what it tolerates (the `http.*` knobs, the
/// same for every server of a role): TLS, a read token, timeouts and limits.
public struct HTTPServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// The setting that names the port, for messages (`--port / INGEST_PORT`).
    public var portSetting: String
    /// The setting that names the address (`ingest.host (INGEST_HOST, --host)`).
    public var hostSetting: String
    /// PEM files of the certificate chain and its key: HTTPS (and HTTP/2 by ALPN) when set.
    public var tls: TLSFiles?
    /// A bearer token every GET and HEAD needs, `/health` excepted (nil: reads are open).
    public var readToken: String?
    /// Other tokens that also read (the write token).
    public var alsoReads: [String] = []
    /// Seconds a connection may wait with no request in progress before it is closed.
    public var idleTimeout: Double
    /// Seconds a request's line and headers may take to arrive (then 408 and the connection closes).
    public var headerTimeout: Double
    /// Connections open at once; more are answered 503 and closed.
    public var maxConnections: Int
    /// Longest request line (method, target and version): longer gets 414.
    public var maxRequestLineBytes: Int
    /// Longest header section: larger gets 431.
    public var maxHeaderBytes: Int

    public struct TLSFiles: Sendable, Hashable {
        public var certificate: String
        public var key: String
        public init(certificate: String, key: String) {
            self.certificate = certificate
            self.key = key
        }
    }

    public init(
        host: String, port: Int, portSetting: String = "the port", hostSetting: String = "the address", tls: TLSFiles? = nil, readToken: String? = nil,
        idleTimeout: Double = 60, headerTimeout: Double = 10, maxConnections: Int = 1_024, maxRequestLineBytes: Int = 8_192,
        maxHeaderBytes: Int = 32_768
    ) {
        self.host = host
        self.port = port
        self.portSetting = portSetting
        self.hostSetting = hostSetting
        self.tls = tls
        self.readToken = readToken
        self.idleTimeout = idleTimeout
        self.headerTimeout = headerTimeout
        self.maxConnections = maxConnections
        self.maxRequestLineBytes = maxRequestLineBytes
        self.maxHeaderBytes = maxHeaderBytes
    }

    /// The `http.*` knobs for a server on `host:port`.
    public init(config: ConfigReader, host: String, port: Int, hostKey: String, portKey: String) throws(ConfigurationError) {
        let values = ConfigValues(config)
        self.init(host: host, port: port, portSetting: ConfigKeys.spellings(of: portKey), hostSetting: ConfigKeys.spellings(of: hostKey))
        let knobs = Knobs.http
        let certificate = try values.value(knobs.tlsCert)
        let key = try values.value(knobs.tlsKey)
        switch (certificate, key) {
        case (let certificate?, let key?):
            for (setting, path) in [(knobs.tlsCert, certificate), (knobs.tlsKey, key)] where !FileManager.default.isReadableFile(atPath: path) {
                throw values.fail(setting, path, "a readable PEM file")
            }
            tls = TLSFiles(certificate: certificate, key: key)
        case (nil, nil):
            tls = nil
        case (nil, _):
            throw values.fail(knobs.tlsCert, "", "set with http.tls_key: the certificate chain the key belongs to")
        case (_, nil):
            throw values.fail(knobs.tlsKey, "", "set with http.tls_cert: the certificate's private key")
        }
        readToken = try values.value(knobs.readToken)
        idleTimeout = try values.value(knobs.idleTimeout)
        headerTimeout = try values.value(knobs.headerTimeout)
        maxConnections = try values.value(knobs.maxConnections)
    }

    /// `https` with TLS, else `http`.
    public var scheme: String { tls == nil ? "http" : "https" }
}
