#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KafkaTransport
import TelemetryFormats
import TelemetryModel

/// Writes records to stdout or to a file in one format, rotating files by size at record
/// boundaries (each rotated file is complete on its own: CSV files get the header, gzip files are
/// whole members, Parquet files rotate after a row group and get their footer). Used by the
/// writer thread only.
final class FileOutput: RecordOutput {
    let spec: OutputSpec
    private let rotateBytes: Int?
    private var descriptor: Int32 = -1
    private var fileBytes = 0
    /// Bytes of the CSV header at the top of the current file.
    private var headerBytes = 0
    private var fileNumber = 0
    private(set) var records: UInt64 = 0
    private(set) var bytes: UInt64 = 0
    private(set) var files: [String] = []
    /// JSON lines waiting to be compressed (json.gz outputs fed partial chunks).
    private var pending = WriteBuffer(capacity: 0)
    private var pendingSince: Double?
    private var compressor: GzipCompressor?
    private let gzipLevel: Int
    /// Makes the encoder of each Parquet file.
    private let makeParquet: () -> any ChunkParquetEncoder
    private var parquet: (any ChunkParquetEncoder)?
    /// Bytes of the open Parquet file waiting to be written.
    private var parquetBytes = WriteBuffer(capacity: 0)

    /// The header line of text formats that have one (CSV, VPC flow logs).
    private let header: [UInt8]?
    /// VPC flow logs: NODATA and SKIPDATA lines between the records.
    private let vpcStatus: VPCStatusLines?
    /// Zeek's conn.log: the fold of the records into connections (whose lines come in the chunks).
    private let zeek: ZeekLogs?
    /// Zeek's conn.log: the last record written (nil: none yet), and the latest end of one.
    private var zeekLastSeq: Int64?
    private var zeekCloseMs: Int64 = 0
    /// Firewall logs: the CEF encoder.
    private let cef: FlowCEFEncoder?
    /// Packets: the capture the records render into.
    private let pcap: PcapCapture?
    /// What the writer thread encodes itself (CEF lines, packets, the conn.log's last lines), waiting to be written.
    private var textLines = WriteBuffer(capacity: 64 * 1024)

    /// - Parameters:
    ///   - header: the first line of each file, for formats that have one (CSV, VPC flow logs).
    ///   - makeParquet: makes the encoder of each Parquet file.
    init(
        spec: OutputSpec, rotateBytes: Int?, gzipLevel: Int, header: [UInt8]?, makeParquet: @escaping () -> any ChunkParquetEncoder,
        vpcStatus: VPCStatusLines? = nil, zeek: ZeekLogs? = nil, pcap: PcapCapture? = nil, cef: FlowCEFEncoder? = nil
    ) {
        self.cef = cef
        self.pcap = pcap
        self.spec = spec
        self.header = header
        self.vpcStatus = vpcStatus
        self.zeek = zeek
        self.rotateBytes = spec.destination == .stdout ? nil : rotateBytes
        self.gzipLevel = gzipLevel
        self.makeParquet = makeParquet
    }

    var delivery: KafkaDeliveryReport? { nil }

    // MARK: - Files

    /// The path of file number `n` (rotation inserts `-000001` before the extension).
    func path(number: Int) -> String? {
        guard case .file(let path) = spec.destination else { return nil }
        guard rotateBytes != nil else { return path }
        let suffix = "-" + String(repeating: "0", count: max(0, 6 - String(number).count)) + String(number)
        let ext = spec.format.fileExtension
        if path.lowercased().hasSuffix(ext) { return String(path.dropLast(ext.count)) + suffix + ext }
        return path + suffix
    }

    private func openNext() throws(OutputError) {
        try finishParquet()
        if descriptor > 1 { close(descriptor) }
        fileBytes = 0
        switch spec.destination {
        case .stdout:
            descriptor = 1
        case .kafka, .http, .serve, .queue, .objectStore, .netflow, .syslog:
            throw OutputError(output: name, operation: "open", detail: "\(spec) is not a file")
        case .file:
            fileNumber += 1
            let path = path(number: fileNumber)!
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else { throw OutputError(output: path, operation: "open", code: errno) }
            files.append(path)
        }
        headerBytes = 0
        if spec.format == .parquet {
            let encoder = makeParquet()
            parquet = encoder
            encoder.writer.start(into: &parquetBytes)
            try writeParquetBytes()
        }
        if let header {
            headerBytes = header.count
            var failure: OutputError?
            header.withUnsafeBytes { raw in
                do throws(OutputError) { try writeAll(raw) } catch { failure = error }
            }
            if let failure { throw failure }
        }
    }

    /// Opens the first file (so a bad path fails before generation starts).
    func start() throws(OutputError) { try openNext() }

    private func writeAll(_ data: UnsafeRawBufferPointer) throws(OutputError) {
        var offset = 0
        while offset < data.count {
            let written = Glibc.write(descriptor, data.baseAddress! + offset, data.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw OutputError(output: files.last ?? "stdout", operation: "write to", code: errno)
            }
            offset += written
        }
        fileBytes += data.count
        bytes += UInt64(data.count)
    }

    private func rotateIfFull() throws(OutputError) {
        if let limit = rotateBytes, fileBytes >= limit { try openNext() }
    }

    // MARK: - Records

    /// Writes records `range` of `chunk`.
    func write(_ chunk: FlowChunk, records range: Range<Int>, now: Double) throws(OutputError) {
        guard !range.isEmpty else { return }
        switch spec.format {
        case .jsonl:
            try writeText(chunk, range, buffer: chunk.json, ends: chunk.jsonEnds)
        case .csv:
            try writeText(chunk, range, buffer: chunk.csv, ends: chunk.csvEnds)
        case .vpc:
            guard let status = vpcStatus, chunk.dataset == .flow else {
                try writeText(chunk, range, buffer: chunk.vpc, ends: chunk.vpcEnds)
                break
            }
            // Records up to the one that settles a window, then the window's status lines.
            var start = range.lowerBound
            for i in range where status.note(chunk.events[i]) {
                if i > start { try writeText(chunk, start..<i, buffer: chunk.vpc, ends: chunk.vpcEnds) }
                start = i
                if let lines = status.settle(before: status.window(of: chunk.events[i])), lines.count > 0 {
                    try rotateIfFull()
                    try writeAll(lines)
                }
            }
            if start < range.upperBound { try writeText(chunk, start..<range.upperBound, buffer: chunk.vpc, ends: chunk.vpcEnds) }
        case .zeek:
            guard zeek != nil, chunk.dataset == .flow else { break }
            noteZeek(chunk, range)
            try writeText(chunk, range, buffer: chunk.zeek, ends: chunk.zeekEnds)
        case .zeekJSON:
            guard zeek != nil, chunk.dataset == .flow else { break }
            noteZeek(chunk, range)
            try writeText(chunk, range, buffer: chunk.zeekJSON, ends: chunk.zeekJSONEnds)
        case .pcap:
            guard let pcap, chunk.dataset == .flow else { break }
            for i in range {
                pcap.add(chunk.events[i])
                try writePackets(pcap)
            }
            try writeTextLines()
        case .cef:
            guard let cef, chunk.dataset == .flow else { break }
            for i in range where !chunk.events[i].dropped { cef.encode(chunk.events[i], into: &textLines) }
            try writeTextLines()
        case .parquet:
            let groups = parquet?.writer.rowGroupCount ?? 0
            parquet?.append(chunk, range, into: &parquetBytes)
            try writeParquetBytes()
            if let limit = rotateBytes, fileBytes >= limit, (parquet?.writer.rowGroupCount ?? 0) > groups {
                try openNext()
            }
        case .jsonGz:
            if range.count == chunk.count && chunk.gzip.count > 0 {
                try flushPending()
                try rotateIfFull()
                try writeAll(UnsafeRawBufferPointer(start: chunk.gzip.base, count: chunk.gzip.count))
            } else {
                if pendingSince == nil { pendingSince = now }
                chunk.json.withBytes(chunk.byteRange(range, ends: chunk.jsonEnds)) { pending.append($0) }
                if pending.count >= 1 << 20 { try flushPending() }
            }
        }
        records += UInt64(range.count)
    }

    /// Zeek's conn.log: how far the records written go (for the connections open at the end).
    private func noteZeek(_ chunk: FlowChunk, _ range: Range<Int>) {
        zeekLastSeq = chunk.events[range.upperBound - 1].seq
        for i in range { zeekCloseMs = max(zeekCloseMs, chunk.events[i].endMs) }
    }

    /// Writes the capture's packets that are due, a quarter megabyte at a time (files rotate
    /// between those writes, at packet boundaries).
    private func writePackets(_ pcap: PcapCapture) throws(OutputError) {
        while pcap.write(into: &textLines, budget: 256 * 1024) { try writeTextLines() }
    }

    private func writeTextLines() throws(OutputError) {
        guard textLines.count > 0 else { return }
        try rotateIfFull()
        try writeAll(UnsafeRawBufferPointer(start: textLines.base, count: textLines.count))
        textLines.removeAll()
    }

    private func writeText(_ chunk: FlowChunk, _ range: Range<Int>, buffer: borrowing WriteBuffer, ends: UnsafeMutablePointer<Int>) throws(OutputError) {
        var start = range.lowerBound
        while start < range.upperBound {
            try rotateIfFull()
            var end = range.upperBound
            if let limit = rotateBytes {
                // The longest run of records that fits the room left; a file holds at least one
                // record even when that record alone is larger than the limit.
                let base = start == 0 ? 0 : ends[start - 1]
                let room = limit - fileBytes
                if ends[start] - base > room && fileBytes > headerBytes {
                    try openNext()
                    continue
                }
                var lo = start + 1
                var hi = range.upperBound
                while lo < hi {
                    let mid = (lo + hi + 1) / 2
                    if ends[mid - 1] - base <= room { lo = mid } else { hi = mid - 1 }
                }
                end = lo
            }
            let bytes = chunk.byteRange(start..<end, ends: ends)
            try writeAll(UnsafeRawBufferPointer(start: buffer.base + bytes.lowerBound, count: bytes.count))
            start = end
        }
    }

    private func writeParquetBytes() throws(OutputError) {
        guard parquetBytes.count > 0 else { return }
        try writeAll(UnsafeRawBufferPointer(start: parquetBytes.base, count: parquetBytes.count))
        parquetBytes.removeAll()
    }

    /// Writes the open Parquet file's last row group and footer.
    private func finishParquet() throws(OutputError) {
        guard let encoder = parquet else { return }
        parquet = nil
        encoder.finish(into: &parquetBytes)
        try writeParquetBytes()
    }

    /// Compresses and writes JSON lines held back for a gzip output.
    func flushPending() throws(OutputError) {
        guard pending.count > 0 else { return }
        try rotateIfFull()
        let compressor = compressor ?? GzipCompressor(level: gzipLevel)
        self.compressor = compressor
        var member = WriteBuffer(capacity: pending.count / 4 + 1024)
        pending.withBytes { compressor.compress($0, into: &member) }
        pending.removeAll()
        pendingSince = nil
        try writeAll(UnsafeRawBufferPointer(start: member.base, count: member.count))
    }

    /// Called regularly by the writer: flushes held-back gzip data older than a second.
    func tick(now: Double) throws(OutputError) {
        if let since = pendingSince, now - since >= 1 { try flushPending() }
    }

    /// Flushes and closes.
    func finish() throws(OutputError) {
        defer {
            if descriptor > 1 { close(descriptor) }
            descriptor = -1
        }
        try flushPending()
        try finishParquet()
        if let zeek, let log = zeek.log(spec.format == .zeek ? .tsv : .json) {
            log.writeOpen(of: zeek.fold, asOf: zeekLastSeq, into: &textLines)
            textLines.append(log.trailer(closeMs: zeekCloseMs))
            try writeTextLines()
        }
        if let pcap {
            pcap.finish()
            try writePackets(pcap)
            try writeTextLines()
        }
        if descriptor > 1 && fsync(descriptor) != 0 && errno != EINVAL {
            throw OutputError(output: files.last ?? name, operation: "sync", code: errno)
        }
    }
}
