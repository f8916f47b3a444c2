import CRdKafka
import Foundation

/// Asks the cluster for a topic's metadata until it answers, so a client fails with a clear
/// reason within a bounded time instead of waiting forever on unreachable brokers.
enum TopicProbe {
    /// The topic's partition count, once the brokers answer and the topic has partitions.
    static func waitForTopic(
        handle: OpaquePointer, topic: String, brokers: [String], timeout: Double, context: KafkaCallbackContext, role: String
    ) throws(KafkaError) -> Int {
        let brokerList = brokers.joined(separator: ",")
        let topicHandle = rd_kafka_topic_new(handle, topic, nil)
        defer { rd_kafka_topic_destroy(topicHandle) }
        let deadline = Date().addingTimeInterval(timeout)
        let reach = "reach Kafka at \(brokerList) within \(timeout == timeout.rounded() && timeout < 1e9 ? String(Int(timeout)) : String(timeout))s"
        var lastError = KafkaError(RD_KAFKA_RESP_ERR__TIMED_OUT, operation: reach)
        repeat {
            let remaining = max(100, Int(deadline.timeIntervalSinceNow * 1000))
            var metadata: UnsafePointer<rd_kafka_metadata>?
            let result = rd_kafka_metadata(handle, 0, topicHandle, &metadata, Int32(min(remaining, 5_000)))
            if result == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata {
                defer { rd_kafka_metadata_destroy(metadata) }
                if metadata.pointee.topic_cnt > 0 {
                    let entry = metadata.pointee.topics[0]
                    if entry.err == RD_KAFKA_RESP_ERR_NO_ERROR && entry.partition_cnt > 0 { return Int(entry.partition_cnt) }
                    if entry.err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART {
                        lastError = KafkaError(
                            entry.err, operation: "\(role) topic '\(topic)'",
                            message: "the topic does not exist on \(brokerList) (create it: netchaos kafka create-topic --kafka-topic \(topic))"
                        )
                    } else if entry.err != RD_KAFKA_RESP_ERR_NO_ERROR {
                        lastError = KafkaError(entry.err, operation: "\(role) topic '\(topic)'")
                    }
                }
            } else {
                let reason = context.lastError?.message ?? String(cString: rd_kafka_err2str(result))
                lastError = KafkaError(result, operation: reach, message: reason)
            }
            if Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        } while Date() < deadline
        throw lastError
    }
}
