import ChaosEngine
import FailPoints
import KafkaTransport
import Logging
import TelemetryFormats
import TelemetryModel

/// Produces every record as one Kafka message (the JSON record without its newline), keyed by
/// the configured key. Waits while librdkafka's queue is full (never drops); at the end flushes
/// and reports honestly what was not delivered.
final class KafkaOutput: RecordOutput {
    let spec: OutputSpec
    let configuration: KafkaProducerConfiguration
    private let stop: StopSignal
    private let logger: Logger
    private var producer: KafkaProducer?
    private(set) var records: UInt64 = 0
    private(set) var bytes: UInt64 = 0
    /// Records not handed over because a stop came while the queue was full (not a failure: the
    /// run reports them as generated and not delivered).
    private(set) var stoppedShort: UInt64 = 0
    private var final: KafkaDeliveryReport?
    /// Records handed to the producer at once, and room for their keys (an IPv4 address or a UUID each).
    private var batch = KafkaRecordBatch(capacity: KafkaOutput.batchSize)
    /// Until when (monotonic seconds) not to wait for a pool block: every block was pinned by
    /// messages that cannot be delivered (a broker down), so records go by copy meanwhile.
    private var poolStarvedUntil = 0.0
    /// How long to wait for a pool block before copying instead, and for how long after such a
    /// wait not to wait again.
    static let blockWait = 0.05
    static let starvedFor = 1.0
    private let keys = UnsafeMutablePointer<UInt8>.allocate(capacity: KafkaOutput.batchSize * KafkaOutput.keyRoom)
    static let batchSize = RecordChunk.capacity
    static let keyRoom = 40

    init(spec: OutputSpec, configuration: KafkaProducerConfiguration, generatorID: String, stop: StopSignal, logger: Logger) {
        self.spec = spec
        self.configuration = configuration
        self.stop = stop
        self.logger = logger
        if configuration.slotHeaders { batch.slotGeneratorID = Array(generatorID.utf8) }
    }

    deinit {
        producer?.close()
        keys.deallocate()
    }

    var files: [String] { [] }
    var name: String { "kafka://\(configuration.client.brokers.joined(separator: ","))/\(configuration.topic)" }
    var delivery: KafkaDeliveryReport? { final ?? producer?.report }

    func start() throws(OutputError) {
        do throws(KafkaError) {
            let producer = try KafkaProducer(configuration: configuration, logger: logger)
            self.producer = producer
            let partitions = try producer.connect()
            logger.info("kafka output connected", metadata: [
                "kafka.topic": .string(configuration.topic), "kafka.partitions": .stringConvertible(partitions),
                "kafka.brokers": .string(configuration.client.brokers.joined(separator: ",")),
                "kafka.compression": .string(configuration.compression.rawValue), "kafka.acks": .string(configuration.acks.rawValue),
                "kafka.idempotence": .stringConvertible(configuration.idempotence), "kafka.key": .string(configuration.key.rawValue),
                "kafka.slot_headers": .stringConvertible(configuration.slotHeaders),
            ])
        } catch {
            throw OutputError(output: name, operation: "start", detail: error.description)
        }
    }

    func write(_ chunk: FlowChunk, records range: Range<Int>, now: Double) throws(OutputError) {
        guard let producer else { return }
        var start = range.lowerBound
        while start < range.upperBound {
            let limit = min(start + Self.batchSize, range.upperBound)
            // The records' JSON is copied into a block of the producer's pool at once, and
            // librdkafka reads the values there until they are delivered. A block frees up when
            // every message in it is delivered: while a broker is down its partitions' messages
            // pin every block, so after a short wait records go by copy (librdkafka's own queue,
            // bounded by kafka.queue_bytes) and the other partitions keep flowing.
            let asked = MonotonicClock.now()
            let wait = asked < poolStarvedUntil ? 0 : Self.blockWait
            guard let block = producer.payloadBlock(shouldStop: { stop.isRaised || MonotonicClock.now() - asked >= wait }) else {
                if stop.isRaised {
                    stoppedShort += UInt64(range.upperBound - start)
                    return
                }
                if wait > 0 { poolStarvedUntil = MonotonicClock.now() + Self.starvedFor }
                guard try produceCopies(chunk, start..<limit, remaining: range.upperBound - limit) else { return }
                start = limit
                continue
            }
            let origin = start == 0 ? 0 : chunk.jsonEnds[start - 1]
            var end = start
            while end < limit && chunk.jsonEnds[end] - origin <= block.capacity { end += 1 }
            guard end > start else {
                // One record larger than a block: librdkafka copies it.
                block.seal()
                guard try produceCopies(chunk, start..<(start + 1), remaining: range.upperBound - start - 1) else { return }
                start += 1
                continue
            }
            block.fill(from: UnsafeRawBufferPointer(start: chunk.json.base + origin, count: chunk.jsonEnds[end - 1] - origin))
            batch.removeAll()
            var size = 0
            for i in start..<end {
                let from = i == 0 ? 0 : chunk.jsonEnds[i - 1]
                // The record without its newline.
                let value = block.slice((from - origin)..<(chunk.jsonEnds[i] - 1 - origin))
                size += value.count
                batch.append(value: value, key: writeKey(chunk, i, slot: i - start), seq: chunk.seq(i))
            }
            let outcome = producer.produce(&batch, from: block, shouldStop: { stop.isRaised })
            block.seal()
            FailPoints.reach(.producerAfterBatch)
            guard try account(outcome, size: size, remaining: range.upperBound - end) else { return }
            start = end
        }
    }

    /// Produces `records` with librdkafka copying each value (when no pool block is to be had).
    private func produceCopies(_ chunk: FlowChunk, _ records: Range<Int>, remaining: Int) throws(OutputError) -> Bool {
        guard let producer else { return false }
        batch.removeAll()
        var size = 0
        for i in records {
            let from = i == 0 ? 0 : chunk.jsonEnds[i - 1]
            let value = UnsafeRawBufferPointer(start: chunk.json.base + from, count: chunk.jsonEnds[i] - from - 1)
            size += value.count
            batch.append(value: value, key: writeKey(chunk, i, slot: i - records.lowerBound), seq: chunk.seq(i))
        }
        return try account(producer.produce(&batch, shouldStop: { stop.isRaised }), size: size, remaining: remaining)
    }

    /// Counts what a produce call did; false when generation was stopped while the queue was full
    /// (the rest, `remaining` records after this batch, is counted as stopped short).
    private func account(_ outcome: KafkaBatchOutcome, size: Int, remaining: Int) throws(OutputError) -> Bool {
        records += UInt64(outcome.enqueued)
        if outcome.stopped == 0 && outcome.rejected == 0 { bytes += UInt64(size) }
        if let fatal = outcome.fatal { throw OutputError(output: name, operation: "produce to", detail: fatal.description) }
        if outcome.stopped > 0 {
            stoppedShort += UInt64(outcome.stopped + remaining)
            return false
        }
        return true
    }

    /// The key of record `i`: flows by source address or event id; transactions by agent (so an
    /// agent's bets stay in order) or by bet number (`event_id`); switch metrics by switch (so a
    /// switch's snapshots stay in order) or by `seq`.
    private func writeKey(_ chunk: FlowChunk, _ i: Int, slot: Int) -> UnsafeRawBufferPointer? {
        let start = keys + slot * Self.keyRoom
        var p = start
        switch (configuration.key, chunk.dataset) {
        case (.none, _): return nil
        case (.srcIP, .flow): ByteWriting.ipv4(&p, chunk.events[i].srcIP.value)
        case (.eventID, .flow): ByteWriting.uuid(&p, high: chunk.events[i].eventID.high, low: chunk.events[i].eventID.low)
        case (.srcIP, .transactions): ByteWriting.unsigned(&p, UInt64(chunk.transactions[i].agent))
        case (.eventID, .transactions): ByteWriting.unsigned(&p, UInt64(max(chunk.transactions[i].betNumber, 0)))
        case (.srcIP, .switches):
            ByteWriting.literal(&p, "sw")
            ByteWriting.signed(&p, Int64(chunk.switches[i].switchNumber))
        case (.eventID, .switches): ByteWriting.signed(&p, chunk.switches[i].seq)
        }
        return UnsafeRawBufferPointer(start: start, count: p - start)
    }

    func tick(now: Double) throws(OutputError) {
        if let fatal = producer?.fatalError() { throw OutputError(output: name, operation: "produce to", detail: fatal.description) }
    }

    func finish() throws(OutputError) {
        guard let producer else { return }
        let outstanding = producer.flush()
        let report = producer.report
        producer.close()
        self.producer = nil
        final = report
        var problems: [String] = []
        if outstanding > 0 {
            problems.append("\(outstanding) not delivered within the flush timeout of \(configuration.flushTimeout)s")
        }
        if report.failedTotal > 0 {
            let reasons = report.failed.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
            problems.append("\(report.failedTotal) failed (\(reasons))")
        }
        if !problems.isEmpty {
            throw OutputError(output: name, operation: "deliver every record to", detail: problems.joined(separator: "; "))
        }
    }
}
