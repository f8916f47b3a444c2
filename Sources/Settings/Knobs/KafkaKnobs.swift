/// Kafka clients: brokers, the producer and consumers (`kafka.*`).
public struct KafkaKnobs: Sendable {
    public let brokers: Setting<[String]?> = Setting(
        "kafka.brokers", env: "KAFKA_BROKERS", flag: "--kafka-brokers", .list("host:port pairs, comma-separated; an empty value is an error"),
        help: "Bootstrap brokers host:port,", shownDefault: "localhost:19092,localhost:29092,localhost:39092")
    public let topic: Setting<String?> = Setting(
        "kafka.topic", env: "KAFKA_TOPIC", flag: "--kafka-topic", .text("1-249 of A-Z a-z 0-9 . _ -"),
        help: "Topic", shownDefault: "network-telemetry")
    public let compression: Setting<String?> = Setting(
        "kafka.compression", env: "KAFKA_COMPRESSION", flag: "--kafka-compression", .text("none, gzip, snappy, lz4, zstd"),
        help: "none, gzip, snappy, lz4, zstd", shownDefault: "zstd")
    public let acks: Setting<String?> = Setting(
        "kafka.acks", env: "KAFKA_ACKS", flag: "--kafka-acks", .text("all, 1, 0"),
        help: "all, 1, 0", shownDefault: "all")
    public let idempotence: Setting<String?> = Setting(
        "kafka.idempotence", env: "KAFKA_IDEMPOTENCE", flag: "--kafka-idempotence", .text("true or false; true needs acks=all"),
        help: "true or false", shownDefault: "true (with acks=all)")
    public let lingerMs: Setting<String?> = Setting(
        "kafka.linger_ms", env: "KAFKA_LINGER_MS", flag: "--kafka-linger-ms", .text("0-900000"),
        help: "Milliseconds a batch waits to fill", shownDefault: "10")
    public let batchBytes: Setting<String?> = Setting(
        "kafka.batch_bytes", env: "KAFKA_BATCH_BYTES", flag: "--kafka-batch-bytes", .text("bytes or 64KB, 1MB; at most 2GB"),
        help: "Largest batch per partition: 64KB, 1MB", shownDefault: "1MB")
    public let queueMessages: Setting<String?> = Setting(
        "kafka.queue_messages", env: "KAFKA_QUEUE_MESSAGES", flag: "--kafka-queue-messages", .text("1-10000000; produce waits while the queue is full"),
        help: "Local queue size; generation waits while it is full", shownDefault: "500000")
    public let queueBytes: Setting<String?> = Setting(
        "kafka.queue_bytes", env: "KAFKA_QUEUE_BYTES", flag: "--kafka-queue-bytes", .text("4MB-1TB of queued payload; produce waits while it is full"),
        help: "Payload bytes the local queue holds; generation waits while it is full", shownDefault: "64MB")
    public let slotHeaders: Setting<String?> = Setting(
        "kafka.slot_headers", env: "KAFKA_SLOT_HEADERS", flag: "--kafka-slot-headers", .text("true or false: each message carries its record's generator_id and seq as headers (dead letters keep them); costs a quarter to a third of the producing rate"),
        help: "true or false: each message carries its record's generator_id and seq as headers", shownDefault: "false")
    public let key: Setting<String?> = Setting(
        "kafka.key", env: "KAFKA_KEY", flag: "--kafka-key", .text("src_ip, event_id, none"),
        help: "Message key: src_ip, event_id, none", shownDefault: "src_ip")
    public let messageTimeout: Setting<String?> = Setting(
        "kafka.message_timeout", env: "KAFKA_MESSAGE_TIMEOUT", flag: "--kafka-message-timeout", .text("a duration: how long one record is retried"),
        help: "How long one record is retried", shownDefault: "300s")
    public let flushTimeout: Setting<String?> = Setting(
        "kafka.flush_timeout", env: "KAFKA_FLUSH_TIMEOUT", flag: "--kafka-flush-timeout", .text("a duration: how long shutdown waits for deliveries"),
        help: "How long the end of a run waits for deliveries", shownDefault: "30s")
    public let connectTimeout: Setting<String?> = Setting(
        "kafka.connect_timeout", env: "KAFKA_CONNECT_TIMEOUT", flag: "--kafka-connect-timeout", .text("a duration: how long to wait for a first answer"),
        help: "How long to wait for the brokers' first answer", shownDefault: "10s")
    public let clientId: Setting<String?> = Setting(
        "kafka.client_id", env: "KAFKA_CLIENT_ID", .text("any text"),
        help: "", shownDefault: "netchaos")
    public let groupId: Setting<String?> = Setting(
        "kafka.group_id", env: "KAFKA_GROUP_ID", flag: "--group", .text("1-255 printable characters (consumers)"),
        help: "Consumer group", shownDefault: "telemetry-sink-group")
    public let offsetReset: Setting<String?> = Setting(
        "kafka.offset_reset", env: "KAFKA_OFFSET_RESET", flag: "--offset-reset", .text("earliest or latest (consumers)"),
        help: "Where a new group starts: earliest or latest", shownDefault: "earliest")
    public let groupInstanceId: Setting<String?> = Setting(
        "kafka.group_instance_id", env: "KAFKA_GROUP_INSTANCE_ID", flag: "--group-instance-id", .text("auto, none, or an id (consumers: static group membership)"),
        help: "Static group membership id: auto (from the host, group, topic and store, and a free slot on the host), none, or an id", shownDefault: "auto (the sink: host, group, topic and store, and a free slot on the host)")
    public let sessionTimeout: Setting<String?> = Setting(
        "kafka.session_timeout", env: "KAFKA_SESSION_TIMEOUT", .text("a duration (consumers)"),
        help: "", shownDefault: "10s")
    public let securityProtocol: Setting<String?> = Setting(
        "kafka.security_protocol", env: "KAFKA_SECURITY_PROTOCOL", .text("plaintext, ssl, sasl_plaintext, sasl_ssl"),
        help: "", shownDefault: "plaintext")
    public let saslMechanism: Setting<String?> = Setting(
        "kafka.sasl_mechanism", env: "KAFKA_SASL_MECHANISM", .text("PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER, GSSAPI"),
        help: "", shownDefault: "none")
    public let saslUsername: Setting<String?> = Setting(
        "kafka.sasl_username", env: "KAFKA_SASL_USERNAME", .text("any text"),
        help: "", shownDefault: "none")
    public let saslPassword: Setting<String?> = Setting(
        "kafka.sasl_password", env: "KAFKA_SASL_PASSWORD", .secret("any text (secret, never logged)"),
        help: "", shownDefault: "none", isSecret: true)
    public let sslCaLocation: Setting<String?> = Setting(
        "kafka.ssl_ca_location", env: "KAFKA_SSL_CA_LOCATION", .text("a PEM file"),
        help: "", shownDefault: "system CAs")
    public let sslCertificateLocation: Setting<String?> = Setting(
        "kafka.ssl_certificate_location", env: "KAFKA_SSL_CERTIFICATE_LOCATION", .text("a PEM file (client certificate)"),
        help: "", shownDefault: "none")
    public let sslKeyLocation: Setting<String?> = Setting(
        "kafka.ssl_key_location", env: "KAFKA_SSL_KEY_LOCATION", .text("a PEM file (client key)"),
        help: "", shownDefault: "none")
    public let sslKeyPassword: Setting<String?> = Setting(
        "kafka.ssl_key_password", env: "KAFKA_SSL_KEY_PASSWORD", .secret("any text (secret, never logged)"),
        help: "", shownDefault: "none", isSecret: true)
    public let properties: Setting<[String]?> = Setting(
        "kafka.properties", env: "KAFKA_PROPERTY_<NAME>", flag: "--kafka-property", .list("any librdkafka property: NAME=VALUE flags, KAFKA_PROPERTY_SOCKET_TIMEOUT_MS=5000, or a YAML map kafka.properties; applied last"),
        help: "Any librdkafka property NAME=VALUE; repeat for several", shownDefault: "none")

    public init() {}
}
