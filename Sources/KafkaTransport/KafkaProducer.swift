#if canImport(Glibc)
import Glibc
#endif
import CRdKafka
import Foundation
import Logging
import ServiceLifecycle
import Settings
import Synchronization

/// A librdkafka producer. `produce` copies the message into librdkafka's queue and waits (never
/// drops) while the queue is full; a poll thread serves delivery reports, which are counted.
/// As a `Service` it runs until graceful shutdown, then flushes with the configured timeout.
public final class KafkaProducer: Service, @unchecked Sendable {
    public let configuration: KafkaProducerConfiguration
    private let handle: OpaquePointer
    private let topicHandle: OpaquePointer
    private let context: KafkaCallbackContext
    private let enqueued = Atomic<UInt64>(0)
    private let closed = SharedFlag()
    private let pollerDone = DispatchSemaphore(value: 0)
    private let logger: Logger

    /// What `produce` did with one message.
    public enum Outcome: Sendable, Equatable {
        case enqueued
        /// librdkafka refused this message (too large, for instance); counted as failed.
        case rejected(KafkaError)
        /// `shouldStop` returned true while the queue was full.
        case stopped
    }

    public init(configuration: KafkaProducerConfiguration, logger: Logger) throws(KafkaError) {
        self.configuration = configuration
        self.logger = logger
        context = KafkaCallbackContext(logger: logger)
        let conf: OpaquePointer
        do {
            conf = try RdKafkaConfiguration.make(configuration.librdkafkaProperties())
        } catch {
            throw KafkaError(code: RD_KAFKA_RESP_ERR__INVALID_ARG.rawValue, operation: "configure the producer", message: error.description)
        }
        context.install(on: conf)
        rd_kafka_conf_set_dr_msg_cb(conf) { _, message, opaque in
            guard let message, let context = KafkaCallbackContext.from(opaque) else { return }
            context.recordDelivery(message.pointee.err)
        }
        var errorText = [CChar](repeating: 0, count: 512)
        guard let handle = rd_kafka_new(RD_KAFKA_PRODUCER, conf, &errorText, errorText.count) else {
            rd_kafka_conf_destroy(conf)
            throw KafkaError(code: RD_KAFKA_RESP_ERR__INVALID_ARG.rawValue, operation: "create the producer", message: errorText.cText)
        }
        self.handle = handle
        topicHandle = rd_kafka_topic_new(handle, configuration.topic, nil)
        let polled = RdHandle(pointer: handle)
        let thread = Thread { [polled, closed, pollerDone] in
            while !closed.isSet { rd_kafka_poll(polled.pointer, 100) }
            pollerDone.signal()
        }
        thread.name = "netchaos-kafka-poll"
        thread.start()
    }

    deinit { close() }

    // MARK: - Connecting

    /// Waits until the brokers answer and the topic has partitions, at most `timeout` seconds.
    /// Returns the topic's partition count.
    @discardableResult
    public func connect(timeout: Double? = nil) throws(KafkaError) -> Int {
        let limit = timeout ?? configuration.client.connectTimeout
        let brokers = configuration.client.brokers.joined(separator: ",")
        let deadline = Date().addingTimeInterval(limit)
        var lastError = KafkaError(RD_KAFKA_RESP_ERR__TIMED_OUT, operation: "reach Kafka at \(brokers) within \(limit.formatted)s")
        repeat {
            let remaining = max(100, Int(deadline.timeIntervalSinceNow * 1000))
            var metadata: UnsafePointer<rd_kafka_metadata>?
            let result = rd_kafka_metadata(handle, 0, topicHandle, &metadata, Int32(min(remaining, 5_000)))
            if result == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata {
                defer { rd_kafka_metadata_destroy(metadata) }
                if metadata.pointee.topic_cnt > 0 {
                    let topic = metadata.pointee.topics[0]
                    if topic.err == RD_KAFKA_RESP_ERR_NO_ERROR && topic.partition_cnt > 0 { return Int(topic.partition_cnt) }
                    if topic.err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART {
                        lastError = KafkaError(
                            topic.err, operation: "produce to topic '\(configuration.topic)'",
                            message: "the topic does not exist on \(brokers) (create it: netchaos kafka create-topic --topic \(configuration.topic))"
                        )
                    } else if topic.err != RD_KAFKA_RESP_ERR_NO_ERROR {
                        lastError = KafkaError(topic.err, operation: "produce to topic '\(configuration.topic)'")
                    }
                }
            } else {
                let reason = context.lastError?.message ?? String(cString: rd_kafka_err2str(result))
                lastError = KafkaError(result, operation: "reach Kafka at \(brokers) within \(limit.formatted)s", message: reason)
            }
            if Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        } while Date() < deadline
        throw lastError
    }

    // MARK: - Producing

    /// Queues one message (copied). While the local queue is full it serves delivery reports
    /// and tries again, until `shouldStop` says to give up.
    public func produce(
        value: UnsafeRawBufferPointer, key: UnsafeRawBufferPointer?, partition: Int32 = RD_KAFKA_PARTITION_UA,
        shouldStop: () -> Bool = { false }
    ) -> Outcome {
        while true {
            let result = rd_kafka_produce(
                topicHandle, partition, RD_KAFKA_MSG_F_COPY, UnsafeMutableRawPointer(mutating: value.baseAddress), value.count,
                key?.baseAddress, key?.count ?? 0, nil
            )
            if result == 0 {
                enqueued.add(1, ordering: .relaxed)
                return .enqueued
            }
            let error = rd_kafka_last_error()
            if error == RD_KAFKA_RESP_ERR__QUEUE_FULL {
                if shouldStop() { return .stopped }
                rd_kafka_poll(handle, 1)
                continue
            }
            context.recordDelivery(error)
            if error == RD_KAFKA_RESP_ERR__FATAL {
                return .rejected(fatalError() ?? KafkaError(error, operation: "produce to '\(configuration.topic)'"))
            }
            return .rejected(KafkaError(error, operation: "produce to '\(configuration.topic)'"))
        }
    }

    /// Copies `value` and `key` from Swift arrays (convenient, slower than the buffer form).
    public func produce(value: [UInt8], key: [UInt8]? = nil, partition: Int32 = RD_KAFKA_PARTITION_UA) -> Outcome {
        value.withUnsafeBytes { valueBytes in
            if let key {
                return key.withUnsafeBytes { produce(value: valueBytes, key: $0, partition: partition) }
            }
            return produce(value: valueBytes, key: nil, partition: partition)
        }
    }

    /// The producer's fatal error (idempotence broken beyond repair), if any.
    public func fatalError() -> KafkaError? {
        var text = [CChar](repeating: 0, count: 512)
        let code = rd_kafka_fatal_error(handle, &text, text.count)
        guard code != RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
        return KafkaError(code, operation: "produce to '\(configuration.topic)'", message: text.cText)
    }

    /// Counts so far.
    public var report: KafkaDeliveryReport {
        KafkaDeliveryReport(
            enqueued: enqueued.load(ordering: .relaxed), delivered: context.delivered.load(ordering: .relaxed),
            failed: context.failures, inFlight: Int(rd_kafka_outq_len(handle))
        )
    }

    /// The latest client-level error librdkafka reported (brokers down, authentication), if any.
    public var lastClientError: KafkaError? { context.lastError }

    /// Waits up to `timeout` seconds for every queued message to be delivered or to fail; returns
    /// how many are still outstanding.
    @discardableResult
    public func flush(timeout: Double? = nil) -> Int {
        let limit = timeout ?? configuration.flushTimeout
        rd_kafka_flush(handle, Int32(min(limit * 1000, Double(Int32.max))))
        // Serve the last delivery reports so the counts are final.
        rd_kafka_poll(handle, 0)
        return Int(rd_kafka_outq_len(handle))
    }

    /// Stops the poll thread and destroys the client (messages still queued are lost: flush first).
    public func close() {
        guard !closed.set() else { return }
        pollerDone.wait()
        if rd_kafka_outq_len(handle) > 0 {
            // Purged messages come back as failed delivery reports (PURGE_QUEUE, PURGE_INFLIGHT): count them.
            rd_kafka_purge(handle, Int32(RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT))
            rd_kafka_poll(handle, 0)
        }
        rd_kafka_topic_destroy(topicHandle)
        rd_kafka_destroy(handle)
    }

    // MARK: - Service

    /// Runs until graceful shutdown, then flushes (at most the flush timeout) and closes.
    public func run() async throws {
        try? await gracefulShutdown()
        let outstanding = flush()
        if outstanding > 0 {
            logger.error("kafka messages not delivered at shutdown", metadata: ["kafka.outstanding": .stringConvertible(outstanding)])
        }
        close()
    }
}

extension Double {
    /// `10`, `2.5`: seconds in messages.
    var formatted: String { self == rounded() ? String(Int(self)) : String(self) }
}
