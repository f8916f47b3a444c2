import CRdKafka
import Logging
import Synchronization

/// What librdkafka's C callbacks reach through the client's opaque pointer: the logger, delivery
/// counters and, for consumers, the rebalance handler. Owned by the Swift client object, which
/// destroys the C handle before letting it go.
final class KafkaCallbackContext: Sendable {
    let logger: Logger
    let delivered = Atomic<UInt64>(0)
    private let failedByCode = Mutex<[Int32: UInt64]>([:])
    private let lastClientError = Mutex<KafkaError?>(nil)
    let rebalance = Mutex<(@Sendable (OpaquePointer, rd_kafka_resp_err_t, UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) -> Void)?>(nil)

    init(logger: Logger) { self.logger = logger }

    var opaque: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    static func from(_ opaque: UnsafeMutableRawPointer?) -> KafkaCallbackContext? {
        opaque.map { Unmanaged<KafkaCallbackContext>.fromOpaque($0).takeUnretainedValue() }
    }

    func recordDelivery(_ error: rd_kafka_resp_err_t) {
        if error == RD_KAFKA_RESP_ERR_NO_ERROR {
            delivered.add(1, ordering: .relaxed)
        } else {
            failedByCode.withLock { $0[error.rawValue, default: 0] += 1 }
        }
    }

    /// Failed deliveries by error name (`MSG_TIMED_OUT`, `MSG_SIZE_TOO_LARGE`, ...).
    var failures: [String: UInt64] {
        failedByCode.withLock { counts in
            Dictionary(counts.map { (KafkaError.name(of: $0.key), $0.value) }, uniquingKeysWith: +)
        }
    }

    func recordClientError(_ error: KafkaError) {
        lastClientError.withLock { $0 = error }
    }

    /// The latest client-level error (all brokers down, authentication failed, ...).
    var lastError: KafkaError? { lastClientError.withLock { $0 } }

    /// Installs the opaque pointer and the log and error callbacks on `conf`.
    func install(on conf: OpaquePointer) {
        rd_kafka_conf_set_opaque(conf, opaque)
        rd_kafka_conf_set_log_cb(conf) { handle, level, facility, text in
            guard let handle, let context = KafkaCallbackContext.from(rd_kafka_opaque(handle)) else { return }
            let message = text.map { String(cString: $0) } ?? ""
            let facilityText = facility.map { String(cString: $0) } ?? ""
            context.logger.log(
                level: KafkaCallbackContext.level(syslog: level), "librdkafka: \(message)",
                metadata: ["kafka.facility": .string(facilityText), "kafka.client": .string(String(cString: rd_kafka_name(handle)))]
            )
        }
        rd_kafka_conf_set_error_cb(conf) { handle, code, reason, opaque in
            guard let context = KafkaCallbackContext.from(opaque) else { return }
            let error = KafkaError(code: code, operation: "talk to the Kafka cluster", message: reason.map { String(cString: $0) } ?? "")
            context.recordClientError(error)
            context.logger.warning("kafka client error", metadata: ["kafka.error": .string(error.name), "kafka.reason": .string(error.message)])
        }
    }

    /// librdkafka logs with syslog levels; connection errors it retries by itself come as 3
    /// (error), which we report as warnings.
    static func level(syslog: Int32) -> Logger.Level {
        switch syslog {
        case ...2: .critical
        case 3, 4: .warning
        case 5: .notice
        case 6: .info
        default: .debug
        }
    }
}
