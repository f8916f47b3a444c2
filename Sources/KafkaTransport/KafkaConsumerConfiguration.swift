import Configuration
import Settings

/// A consumer in a group. Offsets are never committed automatically: the caller commits exactly
/// what it has finished with.
public struct KafkaConsumerConfiguration: Sendable, Hashable {
    /// Where a group with no committed offset starts.
    public enum OffsetReset: String, Sendable, Hashable, CaseIterable { case earliest, latest }

    public var client: KafkaClientConfiguration
    public var groupID: String
    public var topics: [String]
    public var offsetReset: OffsetReset
    /// Static group membership (`kafka.group_instance_id`): a restarted member with the same
    /// `group.instance.id` takes its partitions back without a rebalance.
    public enum GroupInstance: Sendable, Hashable {
        /// `auto` (the default): the command derives an id where it has one to derive (the
        /// sink); until then a dynamic member.
        case automatic
        /// `none`: a dynamic member.
        case dynamic
        case named(String)
    }

    public var groupInstance = GroupInstance.automatic
    /// The `group.instance.id` sent, if any.
    public var groupInstanceID: String? {
        if case .named(let id) = groupInstance { id } else { nil }
    }
    /// A member that sends no heartbeat for this long leaves the group.
    public var sessionTimeout: Double
    /// Bytes fetched per partition per request, at most.
    public var fetchPartitionBytes: Int
    /// Records fetched ahead of the application (librdkafka's `queued.min.messages` and
    /// `queued.max.messages.kbytes`); nil keeps librdkafka's defaults (100000 and 64 MB). A reader
    /// faster than that buffer drains it and then waits, with librdkafka 2.0, up to a second
    /// before fetching again: a fast consumer (the sink) wants more.
    public var prefetchMessages: Int?
    public var prefetchKilobytes: Int?

    /// The seeds' sink group.
    public static let defaultGroupID = "telemetry-sink-group"

    public init(
        client: KafkaClientConfiguration = KafkaClientConfiguration(), groupID: String = Self.defaultGroupID,
        topics: [String] = [KafkaProducerConfiguration.defaultTopic], offsetReset: OffsetReset = .earliest,
        sessionTimeout: Double = 10, fetchPartitionBytes: Int = 4 << 20
    ) {
        self.client = client
        self.groupID = groupID
        self.topics = topics
        self.offsetReset = offsetReset
        self.sessionTimeout = sessionTimeout
        self.fetchPartitionBytes = fetchPartitionBytes
    }

    /// Reads `kafka.*` (brokers, topic, group id, offset reset, security, properties).
    public init(config: ConfigReader) throws(ConfigurationError) {
        let values = ConfigValues(config)
        self.init(client: try KafkaClientConfiguration(config: config))
        topics = [try KafkaProducerConfiguration.topic(values.string("kafka.topic") ?? KafkaProducerConfiguration.defaultTopic, key: "kafka.topic")]
        if let group = values.string("kafka.group_id") {
            guard group.count <= 255, group.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
                throw ConfigurationError(key: "kafka.group_id", value: group, allowed: "1-255 printable ASCII characters without spaces")
            }
            groupID = group
        }
        if let text = values.string("kafka.offset_reset") {
            guard let reset = OffsetReset(rawValue: text.lowercased()) else {
                throw ConfigurationError(key: "kafka.offset_reset", value: text, allowed: "earliest or latest")
            }
            offsetReset = reset
        }
        sessionTimeout = try values.duration("kafka.session_timeout") ?? sessionTimeout
        if let instance = values.string("kafka.group_instance_id") {
            guard instance.count <= 249, instance.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
                throw ConfigurationError(key: "kafka.group_instance_id", value: instance, allowed: "auto, none, or 1-249 printable ASCII characters without spaces")
            }
            switch instance.lowercased() {
            case "auto": groupInstance = .automatic
            case "none", "": groupInstance = .dynamic
            default: groupInstance = .named(instance)
            }
        }
        try RdKafkaConfiguration.validate(librdkafkaProperties())
    }

    public func librdkafkaProperties() -> [KafkaProperty] {
        client.librdkafkaProperties(role: [
            KafkaProperty(name: "group.id", value: groupID, source: "kafka.group_id"),
            KafkaProperty(name: "enable.auto.commit", value: "false", source: "kafka.group_id"),
            KafkaProperty(name: "enable.auto.offset.store", value: "false", source: "kafka.group_id"),
            KafkaProperty(name: "auto.offset.reset", value: offsetReset.rawValue, source: "kafka.offset_reset"),
            KafkaProperty(name: "session.timeout.ms", value: String(Int(sessionTimeout * 1000)), source: "kafka.session_timeout"),
            KafkaProperty(name: "max.partition.fetch.bytes", value: String(fetchPartitionBytes), source: "kafka.properties"),
        ] + [
            groupInstanceID.map { KafkaProperty(name: "group.instance.id", value: $0, source: "kafka.group_instance_id") },
            prefetchMessages.map { KafkaProperty(name: "queued.min.messages", value: String($0), source: "kafka.properties") },
            prefetchKilobytes.map { KafkaProperty(name: "queued.max.messages.kbytes", value: String($0), source: "kafka.properties") },
        ].compactMap { $0 })
    }
}
