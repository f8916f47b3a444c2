import CRdKafka
import Logging

/// Cluster administration: create topics explicitly (instead of relying on auto-creation) and
/// read topic metadata.
///
/// Sendable: every stored property is a `let`. librdkafka lets any thread call its API on the `rd_kafka_t`
/// but the destructors; each call here makes its own queue and options, and `rd_kafka_destroy` runs only
/// in `deinit`.
public final class KafkaAdmin: @unchecked Sendable {
    private let handle: OpaquePointer
    private let context: KafkaCallbackContext
    public let client: KafkaClientConfiguration

    public init(client: KafkaClientConfiguration, logger: Logger) throws(KafkaError) {
        self.client = client
        context = KafkaCallbackContext(logger: logger)
        let handle = try RdKafkaConfiguration.client(RD_KAFKA_PRODUCER, "admin client", properties: client.librdkafkaProperties(), context: context)
        self.handle = handle
    }

    deinit { rd_kafka_destroy(handle) }

    /// Creates `topic`. Throws with `TOPIC_ALREADY_EXISTS` when it exists.
    public func createTopic(
        _ topic: String, partitions: Int, replicationFactor: Int, configs: [String: String] = [:], timeout: Double = 30
    ) throws(KafkaError) {
        let operation = "create topic '\(topic)' (\(partitions) partitions, replication factor \(replicationFactor))"
        var errorText = [CChar](repeating: 0, count: 512)
        guard let newTopic = rd_kafka_NewTopic_new(topic, Int32(partitions), Int32(replicationFactor), &errorText, errorText.count) else {
            throw KafkaError(code: RD_KAFKA_RESP_ERR__INVALID_ARG.rawValue, operation: operation, message: errorText.cText)
        }
        defer { rd_kafka_NewTopic_destroy(newTopic) }
        for (name, value) in configs.sorted(by: { $0.key < $1.key }) {
            let result = rd_kafka_NewTopic_set_config(newTopic, name, value)
            guard result == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(result, operation: operation) }
        }
        let options = rd_kafka_AdminOptions_new(handle, RD_KAFKA_ADMIN_OP_CREATETOPICS)
        defer { rd_kafka_AdminOptions_destroy(options) }
        let milliseconds = Int32(timeout * 1000)
        _ = rd_kafka_AdminOptions_set_request_timeout(options, milliseconds, &errorText, errorText.count)
        _ = rd_kafka_AdminOptions_set_operation_timeout(options, milliseconds, &errorText, errorText.count)
        let queue = rd_kafka_queue_new(handle)
        defer { rd_kafka_queue_destroy(queue) }
        var topics: [OpaquePointer?] = [newTopic]
        rd_kafka_CreateTopics(handle, &topics, 1, options, queue)
        guard let event = rd_kafka_queue_poll(queue, milliseconds + 5_000) else {
            throw KafkaError(RD_KAFKA_RESP_ERR__TIMED_OUT, operation: operation, message: reachability)
        }
        defer { rd_kafka_event_destroy(event) }
        let eventError = rd_kafka_event_error(event)
        guard eventError == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(eventError, operation: operation, message: String(cString: rd_kafka_event_error_string(event)))
        }
        var count = 0
        guard let result = rd_kafka_event_CreateTopics_result(event),
              let results = rd_kafka_CreateTopics_result_topics(result, &count), count > 0, let first = results[0]
        else {
            throw KafkaError(RD_KAFKA_RESP_ERR__BAD_MSG, operation: operation, message: "no result from the broker")
        }
        let topicError = rd_kafka_topic_result_error(first)
        guard topicError == RD_KAFKA_RESP_ERR_NO_ERROR else {
            let text = rd_kafka_topic_result_error_string(first).map { String(cString: $0) } ?? String(cString: rd_kafka_err2str(topicError))
            throw KafkaError(topicError, operation: operation, message: text)
        }
    }

    /// The partition count of `topic`, or nil when the cluster does not have it.
    public func partitionCount(_ topic: String, timeout: Double = 10) throws(KafkaError) -> Int? {
        do {
            return try TopicProbe.waitForTopic(handle: handle, topic: topic, brokers: client.brokers, timeout: timeout, context: context, role: "read")
        } catch where error.code == KafkaErrorCode.unknownTopicOrPartition {
            return nil
        }
    }

    private var reachability: String {
        let reason = context.lastError.map { ": \($0.message)" } ?? ""
        return "no answer from \(client.brokers.joined(separator: ","))\(reason)"
    }
}
