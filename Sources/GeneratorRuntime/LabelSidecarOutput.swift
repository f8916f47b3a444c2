import KafkaTransport
import TelemetryFormats
import TelemetryModel

/// Writes the ground truth of every flow record to a file of its own (`--labels sidecar`), one JSON
/// line per record, in the order the records are written (see ``FlowLabelsEncoder``).
final class LabelSidecarOutput: RecordOutput {
    let spec: OutputSpec
    let path: String
    private var file: TextFile?
    private var buffer = WriteBuffer(capacity: 0)
    private let encoder = FlowLabelsEncoder()
    private(set) var records: UInt64 = 0
    private(set) var bytes: UInt64 = 0
    var files: [String] { [path] }
    var delivery: KafkaDeliveryReport? { nil }

    init(path: String) {
        self.path = path
        spec = OutputSpec(destination: .file(path: path), format: .jsonl)
    }

    var name: String { "labels(\(path))" }

    func start() throws(OutputError) {
        file = try TextFile(creating: path)
    }

    func write(_ chunk: FlowChunk, records range: Range<Int>, now: Double) throws(OutputError) {
        guard chunk.dataset == .flow, !range.isEmpty, file != nil else { return }
        buffer.removeAll()
        encoder.encode(chunk.events + range.lowerBound, count: range.count, into: &buffer)
        try file!.write(UnsafeRawBufferPointer(start: buffer.base, count: buffer.count))
        records += UInt64(range.count)
        bytes += UInt64(buffer.count)
    }

    func tick(now: Double) throws(OutputError) {}

    func finish() throws(OutputError) {
        try file?.close()
        file = nil
    }
}
