import ChaosEngine
import TelemetryFormats
import TelemetryModel

/// One chunk of generated records (flow events or transactions) and their encodings, reused from
/// chunk to chunk. A worker fills it; the writer releases its records to the outputs; then it
/// returns to the ring.
///
/// Sendable: confined. A worker fills it after claiming its slot under ChunkSlots' lock and hands it over
/// with `markFilled` under that lock; only the writer thread then reads it, until `release` under the lock.
/// The buffer pointers (`events`, `transactions`, `switches`, `jsonEnds`, ...) are set only in `init`.
final class FlowChunk: @unchecked Sendable {
    let capacity = RecordChunk.capacity
    let events: UnsafeMutablePointer<FlowEvent>
    let transactions: UnsafeMutablePointer<Transaction>
    let switches: UnsafeMutablePointer<SwitchSnapshot>
    /// Which of the record buffers holds this chunk's records.
    var dataset = Dataset.flow
    var count = 0
    var index: UInt64 = 0
    /// JSON lines of every event (for jsonl and json.gz outputs).
    var json = WriteBuffer(capacity: 0)
    let jsonEnds: UnsafeMutablePointer<Int>
    var csv = WriteBuffer(capacity: 0)
    let csvEnds: UnsafeMutablePointer<Int>
    /// VPC flow log lines (for vpc outputs).
    var vpc = WriteBuffer(capacity: 0)
    let vpcEnds: UnsafeMutablePointer<Int>
    /// The whole chunk's JSON lines as one gzip member (compressed by the worker).
    var gzip = WriteBuffer(capacity: 0)
    /// Zeek conn.log lines (TSV, JSON) of the connections that ended with each record.
    var zeek = WriteBuffer(capacity: 0)
    let zeekEnds: UnsafeMutablePointer<Int>
    var zeekJSON = WriteBuffer(capacity: 0)
    let zeekJSONEnds: UnsafeMutablePointer<Int>

    init() {
        events = .allocate(capacity: capacity)
        events.initialize(repeating: FlowEvent(), count: capacity)
        transactions = .allocate(capacity: capacity)
        transactions.initialize(repeating: Transaction(), count: capacity)
        switches = .allocate(capacity: capacity)
        switches.initialize(repeating: SwitchSnapshot(), count: capacity)
        jsonEnds = .allocate(capacity: capacity)
        csvEnds = .allocate(capacity: capacity)
        vpcEnds = .allocate(capacity: capacity)
        zeekEnds = .allocate(capacity: capacity)
        zeekJSONEnds = .allocate(capacity: capacity)
    }

    deinit {
        events.deinitialize(count: capacity)
        events.deallocate()
        transactions.deinitialize(count: capacity)
        transactions.deallocate()
        switches.deinitialize(count: capacity)
        switches.deallocate()
        jsonEnds.deallocate()
        csvEnds.deallocate()
        vpcEnds.deallocate()
        zeekEnds.deallocate()
        zeekJSONEnds.deallocate()
    }

    /// The anomalies of record `i`.
    @inline(__always)
    func anomalies(_ i: Int) -> AnomalySet {
        switch dataset {
        case .flow: events[i].anomalies
        case .transactions: transactions[i].anomalies
        case .switches: switches[i].anomalies
        }
    }

    /// The sequence number of record `i`.
    @inline(__always)
    func seq(_ i: Int) -> Int64 {
        switch dataset {
        case .flow: events[i].seq
        case .transactions: transactions[i].seq
        case .switches: switches[i].seq
        }
    }

    /// Byte range of records `records` in an encoding whose record ends are `ends`.
    func byteRange(_ records: Range<Int>, ends: UnsafeMutablePointer<Int>) -> Range<Int> {
        let start = records.lowerBound == 0 ? 0 : ends[records.lowerBound - 1]
        let end = records.isEmpty ? start : ends[records.upperBound - 1]
        return start..<end
    }
}

/// The VPC flow logs' capture window and the chance an interface skips one.
struct VPCSettings: Sendable {
    var windowMs: Int64
    var skipProbability: Double
}

/// Fills chunks: generation then the encodings the outputs need. One per worker thread.
final class ChunkEncoder {
    enum Source {
        /// Flow records come from the simulation (``SimulationRing``); the chunk is only encoded.
        case flow(FlowVocabulary, vpc: VPCSettings)
        case transactions(TransactionChunkGenerator)
        case switches(SwitchChunkGenerator)
    }

    let source: Source
    let jsonEncoder: FlowJSONEncoder?
    let csvEncoder: FlowCSVEncoder?
    let vpcEncoder: FlowVPCEncoder?
    let transactionJSON: TransactionTextEncoder?
    let transactionCSV: TransactionTextEncoder?
    let switchJSON: SwitchTextEncoder?
    let switchCSV: SwitchTextEncoder?
    let gzip: GzipCompressor?

    init(source: Source, generatorID: String, formats: Set<OutputFormat>, gzipLevel: Int, precompress: Bool, vpcVersion: Int, labels: Bool = true) {
        self.source = source
        let needsJSON = formats.contains(.jsonl) || formats.contains(.jsonGz)
        switch source {
        case .flow(let vocabulary, let vpc):
            jsonEncoder = needsJSON ? FlowJSONEncoder(vocabulary: vocabulary, labels: labels) : nil
            csvEncoder = formats.contains(.csv) ? FlowCSVEncoder(vocabulary: vocabulary, labels: labels) : nil
            vpcEncoder = formats.contains(.vpc)
                ? FlowVPCEncoder(vocabulary: vocabulary, version: vpcVersion, windowMs: vpc.windowMs, skipProbability: vpc.skipProbability) : nil
            transactionJSON = nil
            transactionCSV = nil
            switchJSON = nil
            switchCSV = nil
        case .transactions(let generator):
            jsonEncoder = nil
            csvEncoder = nil
            vpcEncoder = nil
            transactionJSON = needsJSON ? TransactionTextEncoder(reference: generator.reference, generatorID: generatorID, style: .json) : nil
            transactionCSV = formats.contains(.csv) ? TransactionTextEncoder(reference: generator.reference, generatorID: generatorID, style: .csv) : nil
            switchJSON = nil
            switchCSV = nil
        case .switches:
            jsonEncoder = nil
            csvEncoder = nil
            vpcEncoder = nil
            transactionJSON = nil
            transactionCSV = nil
            switchJSON = needsJSON ? SwitchTextEncoder(generatorID: generatorID, style: .json) : nil
            switchCSV = formats.contains(.csv) ? SwitchTextEncoder(generatorID: generatorID, style: .csv) : nil
        }
        gzip = formats.contains(.jsonGz) && precompress ? GzipCompressor(level: gzipLevel) : nil
    }

    /// Generates chunk `index` (transactions, switch snapshots) and encodes it.
    func fill(_ chunk: FlowChunk, index: UInt64) {
        chunk.index = index
        switch source {
        case .flow:
            preconditionFailure("flow chunks are filled by the simulation")
        case .transactions(let generator):
            chunk.dataset = .transactions
            chunk.count = generator.generate(chunk: index, into: chunk.transactions)
        case .switches(let generator):
            chunk.dataset = .switches
            chunk.count = generator.generate(chunk: index, into: chunk.switches)
        }
        encode(chunk)
    }

    /// Writes the encodings the outputs need of the chunk's records.
    func encode(_ chunk: FlowChunk) {
        chunk.json.removeAll()
        chunk.csv.removeAll()
        chunk.vpc.removeAll()
        switch chunk.dataset {
        case .flow:
            jsonEncoder?.encode(chunk.events, count: chunk.count, into: &chunk.json, recordEnds: chunk.jsonEnds)
            csvEncoder?.encode(chunk.events, count: chunk.count, into: &chunk.csv, recordEnds: chunk.csvEnds)
            vpcEncoder?.encode(chunk.events, count: chunk.count, into: &chunk.vpc, recordEnds: chunk.vpcEnds)
        case .transactions:
            transactionJSON?.encode(chunk.transactions, count: chunk.count, into: &chunk.json, recordEnds: chunk.jsonEnds)
            transactionCSV?.encode(chunk.transactions, count: chunk.count, into: &chunk.csv, recordEnds: chunk.csvEnds)
        case .switches:
            switchJSON?.encode(chunk.switches, count: chunk.count, into: &chunk.json, recordEnds: chunk.jsonEnds)
            switchCSV?.encode(chunk.switches, count: chunk.count, into: &chunk.csv, recordEnds: chunk.csvEnds)
        }
        if let gzip {
            chunk.gzip.removeAll()
            chunk.json.withBytes { gzip.compress($0, into: &chunk.gzip) }
        }
    }
}
