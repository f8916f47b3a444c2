import BlockingWork
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Receives what a ``KafkaConsumerService`` reads, on its thread.
public protocol KafkaConsumerDelegate: KafkaRebalanceListener {
    /// A non-empty batch, in offset order within each partition.
    func consumed(_ batch: KafkaMessageBatch, consumer: KafkaConsumer)
    /// After every poll, even an empty one: time-based work (flush timers) goes here.
    func polled(consumer: KafkaConsumer)
    /// Consumer errors (unknown topic, broker trouble); the service goes on polling.
    func failed(_ error: KafkaError, consumer: KafkaConsumer)
    /// When true the service stops polling, closes the consumer (revoking its partitions) and returns.
    var isFinished: Bool { get }
    /// The poll loop has ended and the consumer is about to close while this member still owns
    /// its partitions: finish and commit what is in hand.
    func willClose(consumer: KafkaConsumer)
}

extension KafkaConsumerDelegate {
    public func willClose(consumer: KafkaConsumer) {}
}

/// A consumer group member as a `Service`: a dedicated thread subscribes and polls, handing
/// batches to the delegate, until the delegate is finished or graceful shutdown; then it leaves
/// the group, so the delegate commits its revoked partitions first.
public final class KafkaConsumerService: Service, Sendable {
    public let consumer: KafkaConsumer
    private let delegate: any KafkaConsumerDelegate
    private let maxMessages: Int
    private let pollTimeout: Double
    private let stop = Atomic<Bool>(false)
    private let logger: Logger

    public init(
        configuration: KafkaConsumerConfiguration, delegate: any KafkaConsumerDelegate, logger: Logger,
        maxMessages: Int = 10_000, pollTimeout: Double = 0.1
    ) throws(KafkaError) {
        consumer = try KafkaConsumer(configuration: configuration, logger: logger, listener: delegate)
        self.delegate = delegate
        self.maxMessages = maxMessages
        self.pollTimeout = pollTimeout
        self.logger = logger
    }

    /// Asks the poll loop to stop (as graceful shutdown does).
    public func requestStop() { stop.store(true, ordering: .releasing) }

    public func run() async throws {
        // Connecting waits for the brokers: on the poll thread, not on one of the threads that run
        // Swift tasks (other services of the process keep going meanwhile).
        let failure: KafkaError? = await withGracefulShutdownHandler {
            await DedicatedThread.run(named: "netchaos-kafka-consumer") { [self] () -> KafkaError? in
                do throws(KafkaError) {
                    try consumer.connect()
                    try consumer.subscribe()
                } catch {
                    return error
                }
                logger.info("kafka consumer started", metadata: [
                    "kafka.group": .string(consumer.configuration.groupID), "kafka.topics": .string(consumer.configuration.topics.joined(separator: ",")),
                ])
                pollLoop()
                return nil
            }
        } onGracefulShutdown: { [self] in
            requestStop()
        }
        if let failure { throw failure }
    }

    private func pollLoop() {
        while !stop.load(ordering: .acquiring) && !delegate.isFinished {
            let batch = consumer.poll(maxMessages: maxMessages, timeout: pollTimeout)
            for error in batch.errors { delegate.failed(error, consumer: consumer) }
            if !batch.isEmpty { delegate.consumed(batch, consumer: consumer) }
            delegate.polled(consumer: consumer)
        }
        delegate.willClose(consumer: consumer)
        consumer.close()
    }
}
