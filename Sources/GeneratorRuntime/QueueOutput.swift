import FailPoints
import KafkaTransport
import RecordQueue

/// Puts every record into the in-process queue of `netchaos up`, one message a record (its JSON
/// without the newline), in blocks of one chunk's records. Waits while the queue is full (never
/// drops); closes the queue when generation ends, so the sink knows it has everything.
final class QueueOutput: RecordOutput {
    let spec: OutputSpec
    private let queue: RecordQueue
    private(set) var records: UInt64 = 0
    private(set) var bytes: UInt64 = 0
    private var ends: [Int] = []
    /// The generator's id, which every block's slots carry.
    private let generatorID: String

    init(spec: OutputSpec, queue: RecordQueue, generatorID: String) {
        self.spec = spec
        self.queue = queue
        self.generatorID = generatorID
    }

    var name: String { "queue://\(queue.topic)" }
    var files: [String] { [] }
    var delivery: KafkaDeliveryReport? { nil }

    func start() throws(OutputError) {}

    func write(_ chunk: FlowChunk, records range: Range<Int>, now: Double) throws(OutputError) {
        guard !range.isEmpty else { return }
        let origin = range.lowerBound == 0 ? 0 : chunk.jsonEnds[range.lowerBound - 1]
        let end = chunk.jsonEnds[range.upperBound - 1]
        // Each record's JSON is kept with its newline in the chunk; the block holds them without.
        var packed = [UInt8]()
        packed.reserveCapacity(end - origin)
        ends.removeAll(keepingCapacity: true)
        chunk.json.withBytes { all in
            var start = origin
            for i in range {
                let recordEnd = chunk.jsonEnds[i]
                let last = recordEnd > start && all[recordEnd - 1] == UInt8(ascii: "\n") ? recordEnd - 1 : recordEnd
                packed.append(contentsOf: UnsafeRawBufferPointer(rebasing: all[start..<last]))
                ends.append(packed.count)
                start = recordEnd
            }
        }
        // Each record's slot travels beside it, so its dead letter names it however it is mangled.
        let slots = QueueSlots(generatorID: generatorID, seqs: range.map { chunk.seq($0) })
        let added = packed.withUnsafeBytes { queue.put(records: $0, ends: ends, slots: slots, whenFull: { FailPoints.reach(.upQueueFull) }) }
        guard added else {
            throw OutputError(output: name, operation: "put", detail: "the queue is closed (the sink stopped)")
        }
        records += UInt64(range.count)
        bytes += UInt64(packed.count)
    }

    func tick(now: Double) throws(OutputError) {}

    func finish() throws(OutputError) { queue.close() }
}
