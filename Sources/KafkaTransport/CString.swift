/// A C handle that librdkafka lets any thread use.
///
/// Sendable: a `let` C pointer. It carries KafkaProducer's `rd_kafka_t` to the poll thread, which only calls
/// `rd_kafka_poll` (thread-safe per librdkafka) and stops before ``KafkaProducer/close()`` destroys it.
struct RdHandle: @unchecked Sendable {
    let pointer: OpaquePointer
}

extension Array where Element == CChar {
    /// The NUL-terminated text librdkafka wrote into this buffer.
    var cText: String {
        withUnsafeBufferPointer { buffer in
            let bytes = buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}
