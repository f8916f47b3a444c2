import Configuration
import Settings

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

    /// The seeds' three local brokers.
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

    /// Reads `kafka.*` (see the knob table): brokers, client id, security and passed-through properties.
    public init(config: ConfigReader) throws(ConfigurationError) {
        let values = ConfigValues(config)
        self.init()
        if values.isBlankList("kafka.brokers") {
            throw ConfigurationError(key: "kafka.brokers", value: values.reader.string(forKey: "kafka.brokers") ?? "", allowed: "at least one host:port (an empty value does not mean the default brokers)")
        }
        if let brokers = values.list("kafka.brokers") {
            for broker in brokers where !Self.isHostPort(broker) {
                throw ConfigurationError(key: "kafka.brokers", value: broker, allowed: "host:port pairs, comma-separated, such as localhost:9092")
            }
            guard !brokers.isEmpty else {
                throw ConfigurationError(key: "kafka.brokers", value: "", allowed: "at least one host:port")
            }
            self.brokers = brokers
        }
        clientID = values.string("kafka.client_id") ?? clientID
        if let text = values.string("kafka.security_protocol") {
            let allowed = ["plaintext", "ssl", "sasl_plaintext", "sasl_ssl"]
            guard allowed.contains(text.lowercased()) else {
                throw ConfigurationError(key: "kafka.security_protocol", value: text, allowed: allowed.joined(separator: ", "))
            }
            securityProtocol = text.lowercased()
        }
        if let text = values.string("kafka.sasl_mechanism") {
            let allowed = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "OAUTHBEARER", "GSSAPI"]
            guard allowed.contains(text.uppercased()) else {
                throw ConfigurationError(key: "kafka.sasl_mechanism", value: text, allowed: allowed.joined(separator: ", "))
            }
            saslMechanism = text.uppercased()
        }
        saslUsername = values.string("kafka.sasl_username")
        saslPassword = values.secret("kafka.sasl_password")
        sslCALocation = values.string("kafka.ssl_ca_location")
        sslCertificateLocation = values.string("kafka.ssl_certificate_location")
        sslKeyLocation = values.string("kafka.ssl_key_location")
        sslKeyPassword = values.secret("kafka.ssl_key_password")
        connectTimeout = try values.duration("kafka.connect_timeout") ?? connectTimeout
        for entry in values.list("kafka.properties") ?? [] {
            guard let equals = entry.firstIndex(of: "="), equals != entry.startIndex else {
                throw ConfigurationError(key: "kafka.properties", value: entry, allowed: "NAME=VALUE pairs of librdkafka properties, such as socket.keepalive.enable=true")
            }
            let name = entry[..<equals].trimmingCharacters(in: .whitespaces)
            properties[name] = entry[entry.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        }
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
