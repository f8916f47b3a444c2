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
    /// Records not handed over because a stop came while the queue was full.
    private(set) var unsent: UInt64 = 0
    private var final: KafkaDeliveryReport?
    /// Room for one key: an IPv4 address or a UUID.
    private let key = UnsafeMutablePointer<UInt8>.allocate(capacity: 64)

    init(spec: OutputSpec, configuration: KafkaProducerConfiguration, stop: StopSignal, logger: Logger) {
        self.spec = spec
        self.configuration = configuration
        self.stop = stop
        self.logger = logger
    }

    deinit {
        producer?.close()
        key.deallocate()
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
            ])
        } catch {
            throw OutputError(output: name, operation: "start", detail: error.description)
        }
    }

    func write(_ chunk: FlowChunk, records range: Range<Int>, now: Double) throws(OutputError) {
        guard let producer else { return }
        let base = chunk.json.base
        for i in range {
            let start = i == 0 ? 0 : chunk.jsonEnds[i - 1]
            // The record without its newline.
            let value = UnsafeRawBufferPointer(start: base + start, count: chunk.jsonEnds[i] - start - 1)
            let keyBytes = writeKey(chunk.events[i])
            let outcome = producer.produce(value: value, key: keyBytes, shouldStop: { stop.isRaised })
            switch outcome {
            case .enqueued:
                records += 1
                bytes += UInt64(value.count)
            case .rejected(let error):
                if error.name == "FATAL" { throw OutputError(output: name, operation: "produce to", detail: error.description) }
                // Counted by the producer as failed; the next records still go.
            case .stopped:
                unsent += UInt64(range.upperBound - i)
                return
            }
        }
    }

    private func writeKey(_ event: FlowEvent) -> UnsafeRawBufferPointer? {
        var p = key
        switch configuration.key {
        case .none: return nil
        case .srcIP: ByteWriting.ipv4(&p, event.srcIP.value)
        case .eventID: ByteWriting.uuid(&p, high: event.eventID.high, low: event.eventID.low)
        }
        return UnsafeRawBufferPointer(start: key, count: p - key)
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
        if unsent > 0 { problems.append("\(unsent) not sent because generation was stopped while the queue was full") }
        if !problems.isEmpty {
            throw OutputError(output: name, operation: "deliver every record to", detail: problems.joined(separator: "; "))
        }
    }
}
