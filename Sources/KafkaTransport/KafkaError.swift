import CRdKafka

/// A Kafka operation that failed: librdkafka's error code and name, what we were doing, and
/// whether trying again may succeed.
public struct KafkaError: Error, Sendable, Hashable, CustomStringConvertible {
    /// librdkafka's `rd_kafka_resp_err_t` value (negative: local errors, positive: broker errors).
    public var code: Int32
    /// What was being done, e.g. "connect to localhost:9092" or "create topic flows".
    public var operation: String
    /// librdkafka's message, or ours.
    public var message: String

    public init(code: Int32, operation: String, message: String) {
        self.code = code
        self.operation = operation
        self.message = message
    }

    /// An error from a librdkafka result code.
    init(_ error: rd_kafka_resp_err_t, operation: String, message: String? = nil) {
        self.init(code: error.rawValue, operation: operation, message: message ?? String(cString: rd_kafka_err2str(error)))
    }

    /// librdkafka's symbolic name without the leading underscore, e.g. `MSG_TIMED_OUT`.
    public var name: String { KafkaError.name(of: code) }

    /// The symbolic name of an error code, as used in counters (`QUEUE_FULL`, `NOT_LEADER_FOR_PARTITION`).
    public static func name(of code: Int32) -> String {
        var text = String(cString: rd_kafka_err2name(rd_kafka_resp_err_t(rawValue: code)))
        while text.hasPrefix("_") { text.removeFirst() }
        return text
    }

    /// Timeouts, unreachable brokers and leader changes pass; bad configuration and fatal errors do not.
    public var isRetriable: Bool {
        switch rd_kafka_resp_err_t(rawValue: code) {
        case RD_KAFKA_RESP_ERR__TRANSPORT, RD_KAFKA_RESP_ERR__TIMED_OUT, RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN,
             RD_KAFKA_RESP_ERR__QUEUE_FULL, RD_KAFKA_RESP_ERR__MSG_TIMED_OUT, RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT,
             RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION, RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE,
             RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS, RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND,
             RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_NOT_COORDINATOR,
             RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS:
            true
        default:
            false
        }
    }

    public var description: String { "cannot \(operation): \(message) (\(name))" }
}

extension KafkaError {
    /// The group moved on (a rebalance is under way or this member's generation is over): a
    /// commit now cannot succeed, and the partitions go to whoever owns them next.
    public var isGroupChange: Bool {
        switch rd_kafka_resp_err_t(rawValue: code) {
        case RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS, RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION,
             RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID, RD_KAFKA_RESP_ERR__STATE:
            true
        default:
            false
        }
    }
}
