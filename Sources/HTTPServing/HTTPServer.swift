import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdHTTP2
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import Settings

/// Builds the Hummingbird application of each of the process's HTTP servers the same way: plain
/// HTTP/1.1, or TLS with HTTP/2 where the client asks for it (ALPN); a cap on connections; idle
/// and header timeouts; limits on the request line (414) and headers (431); malformed HTTP and
/// requests that do not ask to keep the connection handled as servers should; an optional read
/// token.
public enum HTTPServer {
    public static func application<Context: RequestContext>(
        router: Router<Context>, configuration: HTTPServerConfiguration, serverName: String,
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) throws(ConfigurationError) -> Application<TokenGatedResponder<Context>> where Context: InitializableFromSource<ApplicationRequestContextSource> {
        HTTPServingMetrics.prepared
        // Reads are guarded only when a read token is set; the write tokens then read too.
        let accepted = configuration.readToken.map { Set([$0] + configuration.alsoReads) } ?? []
        let responder = TokenGatedResponder(base: router.buildResponder(), accepted: accepted)
        return Application(
            responder: responder,
            server: try builder(configuration),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: serverName),
            onServerRunning: onServerRunning,
            logger: Logger(label: "netchaos.http", factory: { _ in SwiftLogNoOpLogHandler() })
        )
    }

    /// Reads what the server will need (the TLS files), so that a bad one stops the start with its
    /// name before anything runs.
    public static func check(_ configuration: HTTPServerConfiguration) throws(ConfigurationError) {
        if let files = configuration.tls { _ = try tlsConfiguration(files) }
    }

    /// The server: HTTP/1.1, or TLS + HTTP/2 (ALPN), each behind the connection cap and guards.
    static func builder(_ configuration: HTTPServerConfiguration) throws(ConfigurationError) -> HTTPServerBuilder {
        let limits = GuardLimits(
            idleTimeout: .nanoseconds(Int64(configuration.idleTimeout * 1e9)),
            headerTimeout: .nanoseconds(Int64(configuration.headerTimeout * 1e9)),
            maxRequestLineBytes: configuration.maxRequestLineBytes
        )
        let http1 = HTTP1Channel.Configuration(
            additionalChannelHandlers: [GuardInstaller(limits: limits)],
            idleTimeout: nil,  // the guard's timers
            httpDecoderConfiguration: .init(
                maxHeaderFieldSize: configuration.maxHeaderBytes, maxHeaderListSize: configuration.maxHeaderBytes + configuration.maxRequestLineBytes,
                maxHeaderFieldCount: 200
            )
        )
        let gate = ConnectionGate(limit: configuration.maxConnections)
        guard let files = configuration.tls else {
            return HTTPServerBuilder { responder in
                GuardedChannel(base: HTTP1Channel(responder: responder, configuration: http1), gate: gate, plain: true)
            }
        }
        let tls = try tlsConfiguration(files)
        let http2 = HTTP2ChannelConfiguration(idleTimeout: .nanoseconds(Int64(configuration.idleTimeout * 1e9)), streamConfiguration: http1)
        return HTTPServerBuilder { responder in
            GuardedChannel(base: try HTTP2UpgradeChannel(tlsConfiguration: tls, configuration: http2, responder: responder), gate: gate, plain: false)
        }
    }

    /// The certificate chain and key, read now so that a bad file stops the start with its name.
    static func tlsConfiguration(_ files: HTTPServerConfiguration.TLSFiles) throws(ConfigurationError) -> TLSConfiguration {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(files.certificate)
        } catch {
            throw ConfigurationError(key: Knobs.http.tlsCert.key, value: files.certificate, allowed: "a PEM certificate chain (\(error))")
        }
        guard !chain.isEmpty else { throw ConfigurationError(key: Knobs.http.tlsCert.key, value: files.certificate, allowed: "a PEM file holding at least one certificate") }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: files.key, format: .pem)
        } catch {
            throw ConfigurationError(key: Knobs.http.tlsKey.key, value: files.key, allowed: "a PEM private key (\(error))")
        }
        return TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
    }
}
