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
        let knobs = Knobs.kafka
        self.init()
        if values.isBlankList(knobs.brokers) {
            throw values.fail(knobs.brokers, values.rawText(knobs.brokers) ?? "", "at least one host:port (an empty value does not mean the default brokers)")
        }
        if let brokers = try values.value(knobs.brokers) {
            for broker in brokers where !Self.isHostPort(broker) {
                throw values.fail(knobs.brokers, broker, "host:port pairs, comma-separated, such as localhost:9092")
            }
            guard !brokers.isEmpty else { throw values.fail(knobs.brokers, "", "at least one host:port") }
            self.brokers = brokers
        }
        clientID = try values.value(knobs.clientId)
        securityProtocol = try values.value(knobs.securityProtocol)
        if let text = try values.value(knobs.saslMechanism) {
            let allowed = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "OAUTHBEARER", "GSSAPI"]
            guard allowed.contains(text.uppercased()) else { throw values.fail(knobs.saslMechanism, text, allowed.joined(separator: ", ")) }
            saslMechanism = text.uppercased()
        }
        saslUsername = try values.value(knobs.saslUsername)
        saslPassword = try values.value(knobs.saslPassword)
        sslCALocation = try values.value(knobs.sslCaLocation)
        sslCertificateLocation = try values.value(knobs.sslCertificateLocation)
        sslKeyLocation = try values.value(knobs.sslKeyLocation)
        sslKeyPassword = try values.value(knobs.sslKeyPassword)
        connectTimeout = try values.value(knobs.connectTimeout)
        for entry in try values.value(knobs.properties) ?? [] {
            guard let equals = entry.firstIndex(of: "="), equals != entry.startIndex else {
                throw values.fail(knobs.properties, entry, "NAME=VALUE pairs of librdkafka properties, such as socket.keepalive.enable=true")
            }
            let name = entry[..<equals].trimmingCharacters(in: .whitespaces)
            properties[name] = entry[entry.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        }
    }
}
