import CRdKafka
import Logging

/// librdkafka's mock cluster: in-process brokers that speak the real Kafka protocol, with fault
/// injection. For tests, demos and `netchaos kafka dev-cluster`. It keeps data in memory only,
/// about 5 MiB per partition (older data is dropped silently).
///
/// Sendable: every stored property is a `let`. Each mock call posts an op to the mock cluster's own thread
/// (`rd_kafka_op_req`) or takes its lock (push request errors), so any thread may make it; the two
/// destroy calls run only in `deinit`.
public final class KafkaMockCluster: @unchecked Sendable {
    private let host: OpaquePointer
    private let cluster: OpaquePointer
    private let context: KafkaCallbackContext
    /// `host:port,host:port,...` of the brokers.
    public let bootstrapServers: String
    public let brokerCount: Int

    public init(brokers: Int = 3, logger: Logger = Logger(label: "netchaos.kafka.mock")) throws(KafkaError) {
        context = KafkaCallbackContext(logger: logger)
        let host = try RdKafkaConfiguration.client(RD_KAFKA_PRODUCER, "mock cluster's host client", properties: [], context: context)
        guard let cluster = rd_kafka_mock_cluster_new(host, Int32(brokers)) else {
            rd_kafka_destroy(host)
            throw KafkaError(code: RD_KAFKA_RESP_ERR__FAIL.rawValue, operation: "start the mock cluster", message: "librdkafka could not create \(brokers) mock brokers")
        }
        self.host = host
        self.cluster = cluster
        brokerCount = brokers
        bootstrapServers = String(cString: rd_kafka_mock_cluster_bootstraps(cluster))
    }

    deinit {
        rd_kafka_mock_cluster_destroy(cluster)
        rd_kafka_destroy(host)
    }

    /// The bootstrap servers as a list.
    public var brokers: [String] { bootstrapServers.split(separator: ",").map(String.init) }

    /// Creates a topic with its partitions spread over the brokers.
    public func createTopic(_ topic: String, partitions: Int, replicationFactor: Int? = nil) throws(KafkaError) {
        let replicas = replicationFactor ?? min(3, brokerCount)
        let result = rd_kafka_mock_topic_create(cluster, topic, Int32(partitions), Int32(replicas))
        guard result == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(result, operation: "create mock topic '\(topic)'") }
    }

    /// Takes a broker (1-based id) off the network: connections to it fail until ``setBrokerUp(_:)``.
    public func setBrokerDown(_ id: Int32) {
        _ = rd_kafka_mock_broker_set_down(cluster, id)
    }

    public func setBrokerUp(_ id: Int32) {
        _ = rd_kafka_mock_broker_set_up(cluster, id)
    }

    /// Makes the next `errors.count` requests of API `apiKey` (0 = Produce, 1 = Fetch, 8 =
    /// OffsetCommit, ...) fail with these errors, in order.
    public func pushRequestErrors(apiKey: Int16, _ errors: [Int32]) {
        var copy = errors.map { rd_kafka_resp_err_t(rawValue: $0) }
        rd_kafka_mock_push_request_errors_array(cluster, apiKey, copy.count, &copy)
    }

    /// Makes `broker` the coordinator of consumer group `group` (otherwise a hash of the name picks
    /// one), so that a test can take another broker down without taking the group's coordinator.
    public func setGroupCoordinator(group: String, broker: Int32) {
        _ = rd_kafka_mock_coordinator_set(cluster, "group", group, broker)
    }

    /// Moves a partition's leadership to another broker.
    public func setLeader(topic: String, partition: Int32, broker: Int32) {
        _ = rd_kafka_mock_partition_set_leader(cluster, topic, partition, broker)
    }
}

/// Kafka API keys used with ``KafkaMockCluster/pushRequestErrors(apiKey:_:)``.
public enum KafkaAPIKey {
    public static let produce: Int16 = 0
    public static let fetch: Int16 = 1
    public static let offsetCommit: Int16 = 8
    public static let joinGroup: Int16 = 11
}

/// Error codes for fault injection and for matching ``KafkaError/code``.
public enum KafkaErrorCode {
    public static let notLeaderForPartition = RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION.rawValue
    public static let requestTimedOut = RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT.rawValue
    public static let notEnoughReplicas = RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS.rawValue
    public static let leaderNotAvailable = RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE.rawValue
    public static let topicAlreadyExists = RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS.rawValue
    public static let unknownTopicOrPartition = RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART.rawValue
    public static let timedOut = RD_KAFKA_RESP_ERR__TIMED_OUT.rawValue
    public static let transport = RD_KAFKA_RESP_ERR__TRANSPORT.rawValue
}
