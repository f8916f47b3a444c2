/// Kafka clients: brokers, the producer and consumers (`kafka.*`). The defaults are the Kafka
/// configurations' (a test checks that they agree).
public struct KafkaKnobs: Sendable {
    public let brokers: Setting<[String]?> = Setting(
        "kafka.brokers", env: "KAFKA_BROKERS", flag: "--kafka-brokers", .list("host:port pairs, comma-separated; an empty value is an error"),
        help: "Bootstrap brokers", shownDefault: "localhost:19092,localhost:29092,localhost:39092")
    public let topic: Setting<String?> = Setting(
        "kafka.topic", env: "KAFKA_TOPIC", flag: "--kafka-topic", .text("1-249 of A-Z a-z 0-9 . _ -"),
        help: "Topic", shownDefault: "network-telemetry")
    public let compression: Setting<String> = Setting(
        "kafka.compression", env: "KAFKA_COMPRESSION", flag: "--kafka-compression", default: "zstd", .choice(["none", "gzip", "snappy", "lz4", "zstd"]),
        help: "Producer compression")
    public let acks: Setting<String> = Setting(
        "kafka.acks", env: "KAFKA_ACKS", flag: "--kafka-acks", default: "all", .text("all, 1, 0"),
        help: "Acknowledgements the producer waits for")
    public let idempotence: Setting<Bool?> = Setting(
        "kafka.idempotence", env: "KAFKA_IDEMPOTENCE", flag: "--kafka-idempotence", .bool,
        help: "Idempotent producing (true needs acks=all)", shownDefault: "true (with acks=all)")
    public let lingerMs: Setting<Int?> = Setting(
        "kafka.linger_ms", env: "KAFKA_LINGER_MS", flag: "--kafka-linger-ms", .int(in: 0...900_000),
        help: "Milliseconds a batch waits to fill", shownDefault: "10")
    public let batchBytes: Setting<Int> = Setting(
        "kafka.batch_bytes", env: "KAFKA_BATCH_BYTES", flag: "--kafka-batch-bytes", default: 1 << 20, .size(in: 1...2_147_483_647, example: "1MB"),
        help: "Largest batch per partition")
    public let queueMessages: Setting<Int> = Setting(
        "kafka.queue_messages", env: "KAFKA_QUEUE_MESSAGES", flag: "--kafka-queue-messages", default: 500_000, .int(in: 1...10_000_000),
        help: "Local queue size; generation waits while it is full")
    public let queueBytes: Setting<Int> = Setting(
        "kafka.queue_bytes", env: "KAFKA_QUEUE_BYTES", flag: "--kafka-queue-bytes", default: 64 << 20, .size(in: (4 << 20)...(1 << 40), example: "64MB"),
        help: "Payload bytes the local queue holds; generation waits while it is full")
    public let slotHeaders: Setting<Bool> = Setting(
        "kafka.slot_headers", env: "KAFKA_SLOT_HEADERS", flag: "--kafka-slot-headers", default: false, .bool,
        help: "Each message carries its record's generator_id and seq as headers (dead letters keep them); costs a quarter to a third of the producing rate")
    public let key: Setting<String> = Setting(
        "kafka.key", env: "KAFKA_KEY", flag: "--kafka-key", default: "src_ip", .choice(["src_ip", "event_id", "none"]),
        help: "Message key")
    public let messageTimeout: Setting<Double> = Setting(
        "kafka.message_timeout", env: "KAFKA_MESSAGE_TIMEOUT", flag: "--kafka-message-timeout", default: 300, .duration,
        help: "How long one record is retried")
    public let flushTimeout: Setting<Double> = Setting(
        "kafka.flush_timeout", env: "KAFKA_FLUSH_TIMEOUT", flag: "--kafka-flush-timeout", default: 30, .duration,
        help: "How long the end of a run waits for deliveries")
    public let connectTimeout: Setting<Double> = Setting(
        "kafka.connect_timeout", env: "KAFKA_CONNECT_TIMEOUT", flag: "--kafka-connect-timeout", default: 10, .duration,
        help: "How long to wait for the brokers' first answer")
    public let clientId: Setting<String> = Setting(
        "kafka.client_id", env: "KAFKA_CLIENT_ID", default: "netchaos", .text("any text"),
        help: "Client id the brokers see")
    public let groupId: Setting<String?> = Setting(
        "kafka.group_id", env: "KAFKA_GROUP_ID", flag: "--group", .text("1-255 printable characters"),
        help: "Consumer group", shownDefault: "telemetry-sink-group")
    public let offsetReset: Setting<String> = Setting(
        "kafka.offset_reset", env: "KAFKA_OFFSET_RESET", flag: "--offset-reset", default: "earliest", .choice(["earliest", "latest"]),
        help: "Where a new consumer group starts")
    public let groupInstanceId: Setting<String?> = Setting(
        "kafka.group_instance_id", env: "KAFKA_GROUP_INSTANCE_ID", flag: "--group-instance-id", .text("auto, none, or 1-249 printable characters"),
        help: "Static group membership id: auto (from the host, group, topic and store, and a free slot on the host), none, or an id",
        shownDefault: "auto")
    public let sessionTimeout: Setting<Double> = Setting(
        "kafka.session_timeout", env: "KAFKA_SESSION_TIMEOUT", default: 10, .duration,
        help: "Consumers: how long the group waits for a silent member")
    public let securityProtocol: Setting<String?> = Setting(
        "kafka.security_protocol", env: "KAFKA_SECURITY_PROTOCOL", .choice(["plaintext", "ssl", "sasl_plaintext", "sasl_ssl"]),
        help: "How clients talk to the brokers", shownDefault: "plaintext")
    public let saslMechanism: Setting<String?> = Setting(
        "kafka.sasl_mechanism", env: "KAFKA_SASL_MECHANISM", .text("PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER, GSSAPI"),
        help: "SASL mechanism", shownDefault: "none")
    public let saslUsername: Setting<String?> = Setting(
        "kafka.sasl_username", env: "KAFKA_SASL_USERNAME", .text("any text"),
        help: "SASL user", shownDefault: "none")
    public let saslPassword: Setting<String?> = Setting(
        "kafka.sasl_password", env: "KAFKA_SASL_PASSWORD", .secret("any text (secret, never logged)"),
        help: "SASL password", shownDefault: "none", isSecret: true)
    public let sslCaLocation: Setting<String?> = Setting(
        "kafka.ssl_ca_location", env: "KAFKA_SSL_CA_LOCATION", .text("a PEM file"),
        help: "Certificates the brokers' are checked against", shownDefault: "system CAs")
    public let sslCertificateLocation: Setting<String?> = Setting(
        "kafka.ssl_certificate_location", env: "KAFKA_SSL_CERTIFICATE_LOCATION", .text("a PEM file"),
        help: "Client certificate", shownDefault: "none")
    public let sslKeyLocation: Setting<String?> = Setting(
        "kafka.ssl_key_location", env: "KAFKA_SSL_KEY_LOCATION", .text("a PEM file"),
        help: "Client key", shownDefault: "none")
    public let sslKeyPassword: Setting<String?> = Setting(
        "kafka.ssl_key_password", env: "KAFKA_SSL_KEY_PASSWORD", .secret("any text (secret, never logged)"),
        help: "Password of the client key", shownDefault: "none", isSecret: true)
    public let properties: Setting<[String]?> = Setting(
        "kafka.properties", env: "KAFKA_PROPERTY_<NAME>", flag: "--kafka-property",
        .list("NAME=VALUE flags, KAFKA_PROPERTY_SOCKET_TIMEOUT_MS=5000, or a YAML map kafka.properties; applied last"),
        help: "Any librdkafka property NAME=VALUE; repeat for several", shownDefault: "none")

    public init() {}
}
