import ChaosEngine
import TelemetryFormats
import TelemetryModel

/// One chunk of generated events and their encodings, reused from chunk to chunk. A worker fills
/// it; the writer releases its records to the outputs; then it returns to the ring.
final class FlowChunk: @unchecked Sendable {
    let capacity = FlowChunkGenerator.slotsPerChunk
    let events: UnsafeMutablePointer<FlowEvent>
    var count = 0
    var index: UInt64 = 0
    /// JSON lines of every event (for jsonl and json.gz outputs).
    var json = ByteBuffer(capacity: 0)
    let jsonEnds: UnsafeMutablePointer<Int>
    var csv = ByteBuffer(capacity: 0)
    let csvEnds: UnsafeMutablePointer<Int>
    /// VPC flow log lines (for vpc outputs).
    var vpc = ByteBuffer(capacity: 0)
    let vpcEnds: UnsafeMutablePointer<Int>
    /// The whole chunk's JSON lines as one gzip member (compressed by the worker).
    var gzip = ByteBuffer(capacity: 0)

    init() {
        events = .allocate(capacity: capacity)
        events.initialize(repeating: FlowEvent(), count: capacity)
        jsonEnds = .allocate(capacity: capacity)
        csvEnds = .allocate(capacity: capacity)
        vpcEnds = .allocate(capacity: capacity)
    }

    deinit {
        events.deinitialize(count: capacity)
        events.deallocate()
        jsonEnds.deallocate()
        csvEnds.deallocate()
        vpcEnds.deallocate()
    }

    /// Byte range of records `records` in an encoding whose record ends are `ends`.
    func byteRange(_ records: Range<Int>, ends: UnsafeMutablePointer<Int>) -> Range<Int> {
        let start = records.lowerBound == 0 ? 0 : ends[records.lowerBound - 1]
        let end = records.isEmpty ? start : ends[records.upperBound - 1]
        return start..<end
    }
}

/// Fills chunks: generation then the encodings the outputs need. One per worker thread.
final class ChunkEncoder {
    let generator: FlowChunkGenerator
    let jsonEncoder: FlowJSONEncoder?
    let csvEncoder: FlowCSVEncoder?
    let vpcEncoder: FlowVPCEncoder?
    let gzip: GzipCompressor?

    init(generator: FlowChunkGenerator, formats: Set<OutputFormat>, gzipLevel: Int, precompress: Bool, vpcVersion: Int) {
        self.generator = generator
        let needsJSON = formats.contains(.jsonl) || formats.contains(.jsonGz)
        jsonEncoder = needsJSON ? FlowJSONEncoder(vocabulary: generator.vocabulary) : nil
        csvEncoder = formats.contains(.csv) ? FlowCSVEncoder(vocabulary: generator.vocabulary) : nil
        vpcEncoder = formats.contains(.vpc) ? FlowVPCEncoder(vocabulary: generator.vocabulary, version: vpcVersion) : nil
        gzip = formats.contains(.jsonGz) && precompress ? GzipCompressor(level: gzipLevel) : nil
    }

    func fill(_ chunk: FlowChunk, index: UInt64) {
        chunk.index = index
        chunk.count = generator.generate(chunk: index, into: chunk.events)
        if let jsonEncoder {
            chunk.json.removeAll()
            jsonEncoder.encode(chunk.events, count: chunk.count, into: &chunk.json, recordEnds: chunk.jsonEnds)
        }
        if let csvEncoder {
            chunk.csv.removeAll()
            csvEncoder.encode(chunk.events, count: chunk.count, into: &chunk.csv, recordEnds: chunk.csvEnds)
        }
        if let vpcEncoder {
            chunk.vpc.removeAll()
            vpcEncoder.encode(chunk.events, count: chunk.count, into: &chunk.vpc, recordEnds: chunk.vpcEnds)
        }
        if let gzip {
            chunk.gzip.removeAll()
            chunk.json.withBytes { gzip.compress($0, into: &chunk.gzip) }
        }
    }
}
