/// Settings every Kafka client shares: brokers, identity, security, and any librdkafka property
/// passed through (`kafka.properties.*`, applied last so they win).
public struct KafkaClientConfiguration: Sendable, Hashable {
    /// Bootstrap brokers, `host:port`.
    public var brokers: [String]
    public var clientID: String
    /// `plaintext`, `ssl`, `sasl_plaintext` or `sasl_ssl` (nil: librdkafka's default, plaintext).
    public var securityProtocol: String?
    public var saslMechanism: String?
    public var saslUsername: String?
    public var saslPassword: String?
    public var sslCALocation: String?
    public var sslCertificateLocation: String?
    public var sslKeyLocation: String?
    public var sslKeyPassword: String?
    /// Extra librdkafka properties by name.
    public var properties: [String: String]
    /// How long to wait for a first answer from the brokers before reporting them unreachable.
    public var connectTimeout: Double

    /// The three local brokers of the development cluster.
    public static let defaultBrokers = ["localhost:19092", "localhost:29092", "localhost:39092"]

    public init(
        brokers: [String] = Self.defaultBrokers, clientID: String = "netchaos", securityProtocol: String? = nil,
        saslMechanism: String? = nil, saslUsername: String? = nil, saslPassword: String? = nil,
        sslCALocation: String? = nil, sslCertificateLocation: String? = nil, sslKeyLocation: String? = nil,
        sslKeyPassword: String? = nil, properties: [String: String] = [:], connectTimeout: Double = 10
    ) {
        self.brokers = brokers
        self.clientID = clientID
        self.securityProtocol = securityProtocol
        self.saslMechanism = saslMechanism
        self.saslUsername = saslUsername
        self.saslPassword = saslPassword
        self.sslCALocation = sslCALocation
        self.sslCertificateLocation = sslCertificateLocation
        self.sslKeyLocation = sslKeyLocation
        self.sslKeyPassword = sslKeyPassword
        self.properties = properties
        self.connectTimeout = connectTimeout
    }

    /// Checks every property with librdkafka, without creating a client.
    public func validate() throws(KafkaPropertyError) {
        try RdKafkaConfiguration.validate(librdkafkaProperties())
    }

    /// `host:port` with a port from 1 to 65535.
    public static func isHostPort(_ text: String) -> Bool {
        guard let colon = text.lastIndex(of: ":"), colon != text.startIndex, let port = Int(text[text.index(after: colon)...]) else {
            return false
        }
        return (1...65_535).contains(port) && !text[..<colon].contains(where: { $0 == " " || $0 == "/" })
    }

    /// Every property for librdkafka: the shared ones, then `role`'s (producer or consumer
    /// settings), then the passed-through ones, so those win.
    public func librdkafkaProperties(role: [KafkaProperty] = []) -> [KafkaProperty] {
        var list = [
            KafkaProperty(name: "bootstrap.servers", value: brokers.joined(separator: ","), source: "kafka.brokers"),
            KafkaProperty(name: "client.id", value: clientID, source: "kafka.client_id"),
        ]
        func add(_ name: String, _ value: String?, _ source: String, secret: Bool = false) {
            if let value { list.append(KafkaProperty(name: name, value: value, source: source, isSecret: secret)) }
        }
        add("security.protocol", securityProtocol, "kafka.security_protocol")
        add("sasl.mechanisms", saslMechanism, "kafka.sasl_mechanism")
        add("sasl.username", saslUsername, "kafka.sasl_username")
        add("sasl.password", saslPassword, "kafka.sasl_password", secret: true)
        add("ssl.ca.location", sslCALocation, "kafka.ssl_ca_location")
        add("ssl.certificate.location", sslCertificateLocation, "kafka.ssl_certificate_location")
        add("ssl.key.location", sslKeyLocation, "kafka.ssl_key_location")
        add("ssl.key.password", sslKeyPassword, "kafka.ssl_key_password", secret: true)
        list += role
        for (name, value) in properties.sorted(by: { $0.key < $1.key }) {
            list.append(KafkaProperty(name: name, value: value, source: "kafka.properties." + name, isSecret: name.contains("password") || name.contains("secret")))
        }
        return list
    }
}
