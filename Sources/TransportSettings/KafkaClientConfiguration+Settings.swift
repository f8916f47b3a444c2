import Configuration
import Foundation
import KafkaTransport
import Settings

extension KafkaClientConfiguration {
    /// Reads the `kafka` section's client settings (see the knob table): brokers, client id,
    /// security and passed-through properties; librdkafka checks every property.
    public init(config: ConfigReader) throws(ConfigurationError) {
        try self.init(settings: ConfigValues(config).scoped(to: "kafka"))
        do { try validate() } catch { throw error.configurationError }
    }

    /// The client settings of `values`, scoped to the `kafka` section (not checked by librdkafka yet).
    init(settings values: ConfigValues) throws(ConfigurationError) {
        self.init()
        if values.isBlankList("brokers") {
            throw values.fail("brokers", values.reader.string(forKey: ConfigKey(values.key("brokers"))) ?? "", "at least one host:port (an empty value does not mean the default brokers)")
        }
        if let brokers = values.list("brokers") {
            for broker in brokers where !Self.isHostPort(broker) {
                throw values.fail("brokers", broker, "host:port pairs, comma-separated, such as localhost:9092")
            }
            guard !brokers.isEmpty else { throw values.fail("brokers", "", "at least one host:port") }
            self.brokers = brokers
        }
        clientID = values.string("client_id") ?? clientID
        if let text = values.string("security_protocol") {
            let allowed = ["plaintext", "ssl", "sasl_plaintext", "sasl_ssl"]
            guard allowed.contains(text.lowercased()) else { throw values.fail("security_protocol", text, allowed.joined(separator: ", ")) }
            securityProtocol = text.lowercased()
        }
        if let text = values.string("sasl_mechanism") {
            let allowed = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "OAUTHBEARER", "GSSAPI"]
            guard allowed.contains(text.uppercased()) else { throw values.fail("sasl_mechanism", text, allowed.joined(separator: ", ")) }
            saslMechanism = text.uppercased()
        }
        saslUsername = values.string("sasl_username")
        saslPassword = values.secret("sasl_password")
        sslCALocation = values.string("ssl_ca_location")
        sslCertificateLocation = values.string("ssl_certificate_location")
        sslKeyLocation = values.string("ssl_key_location")
        sslKeyPassword = values.secret("ssl_key_password")
        connectTimeout = try values.duration("connect_timeout") ?? connectTimeout
        for entry in values.list("properties") ?? [] {
            guard let equals = entry.firstIndex(of: "="), equals != entry.startIndex else {
                throw values.fail("properties", entry, "NAME=VALUE pairs of librdkafka properties, such as socket.keepalive.enable=true")
            }
            let name = entry[..<equals].trimmingCharacters(in: .whitespaces)
            properties[name] = entry[entry.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        }
    }
}
