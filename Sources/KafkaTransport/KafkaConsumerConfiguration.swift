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

    /// The sink's group.
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

    /// Checks every property with librdkafka, without creating a client.
    public func validate() throws(KafkaPropertyError) {
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
