import KafkaTransport

/// Somewhere the writer thread releases records to: stdout, a file, a Kafka topic. Used by the
/// writer thread only, in order: `start`, then `write` and `tick`, then `finish`.
protocol RecordOutput: AnyObject {
    var spec: OutputSpec { get }
    var name: String { get }
    /// Records written (for Kafka: handed to the producer).
    var records: UInt64 { get }
    var bytes: UInt64 { get }
    /// Files written, in order (empty for stdout and Kafka).
    var files: [String] { get }
    /// Kafka delivery counts; nil for other outputs.
    var delivery: KafkaDeliveryReport? { get }
    /// Records of the `write` calls so far that a stop kept from being taken (the end of a
    /// range, waiting for room when the run was stopped).
    var stoppedShort: UInt64 { get }

    /// Opens or connects, so a bad destination fails before generation starts.
    func start() throws(OutputError)
    /// Writes records `records` of `chunk`.
    func write(_ chunk: FlowChunk, records: Range<Int>, now: Double) throws(OutputError)
    /// Called regularly: time-based flushing.
    func tick(now: Double) throws(OutputError)
    /// Flushes and closes; throws when records could not be stored.
    func finish() throws(OutputError)
}

extension RecordOutput {
    var name: String { spec.description }
    var stoppedShort: UInt64 { 0 }
}
