import BlockingWork
import Foundation
import KafkaTransport
import Logging
import RecordQueue
import Synchronization

/// Reads the in-process queue for the sink, as ``KafkaConsumerService`` reads Kafka: a thread
/// takes blocks and hands them to the coordinator until the queue is closed and drained (the
/// generator finished), then the coordinator stores and commits what it holds. Graceful shutdown
/// does not cut it short: the generator stops, and what it queued is still stored.
final class QueueReader: SinkReader {
    private let source: QueueSource
    private let coordinator: SinkCoordinator
    private let stop = Atomic<Bool>(false)
    private let logger: Logger

    init(queue: RecordQueue, coordinator: SinkCoordinator, logger: Logger) {
        source = QueueSource(queue: queue)
        self.coordinator = coordinator
        self.logger = logger
    }

    var sinkSource: any SinkSource { source }

    func requestStop() { stop.store(true, ordering: .releasing) }

    func run() async throws {
        logger.info("in-process queue reader started", metadata: [
            "queue.topic": .string(source.queue.topic), "queue.partitions": .stringConvertible(source.queue.partitions),
        ])
        await DedicatedThread.run(named: "netchaos-queue-reader") { [self] in readLoop() }
    }

    private func readLoop() {
        coordinator.assign(source.partitions, source: source)
        while !stop.load(ordering: .acquiring) && !coordinator.isFinished {
            let blocks = source.queue.take(maxBlocks: 16, timeout: 0.1)
            if !blocks.isEmpty { coordinator.consume(QueueMessages(blocks: blocks, topic: source.queue.topic), source: source) }
            coordinator.poll(source: source)
            if blocks.isEmpty && source.queue.isDrained { break }
        }
        coordinator.close()
    }
}
