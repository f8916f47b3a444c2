/// What a producer has done with the messages handed to it.
public struct KafkaDeliveryReport: Sendable, Hashable {
    /// Messages accepted into the local queue.
    public var enqueued: UInt64
    /// Messages the brokers confirmed (with the configured `acks`).
    public var delivered: UInt64
    /// Messages librdkafka gave up on, by error name.
    public var failed: [String: UInt64]
    /// Messages still in flight or queued.
    public var inFlight: Int

    public init(enqueued: UInt64 = 0, delivered: UInt64 = 0, failed: [String: UInt64] = [:], inFlight: Int = 0) {
        self.enqueued = enqueued
        self.delivered = delivered
        self.failed = failed
        self.inFlight = inFlight
    }

    public var failedTotal: UInt64 { failed.values.reduce(0, +) }
}
