import ChaosEngine
import Foundation
import KafkaTransport
import TelemetryFormats
import TelemetryModel

/// VPC flow logs delivered as AWS delivers them to S3: one gzip file per account, region and
/// five minutes, at `AWSLogs/{account}/vpcflowlogs/{region}/{yyyy}/{mm}/{dd}/
/// {account}_vpcflowlogs_{region}_{flow-log-id}_{yyyymmddTHHmmZ}_{hash}.log.gz`, each starting with
/// the header line, into a directory or an S3 bucket. Every interface's lines go to its own
/// account and region; NODATA and SKIPDATA lines too. Used by the writer thread only.
final class VPCLogFiles: RecordOutput {
    let spec: OutputSpec
    private let encoder: FlowVPCEncoder
    private let status: VPCStatusLines
    private let vocabulary: FlowVocabulary
    private let uploader: ObjectUploader
    private let header: [UInt8]
    private let seed: UInt64
    /// Files of the current delivery window, by identity (account and region), waiting to close.
    private final class OpenFile {
        var text = TelemetryModel.WriteBuffer(capacity: 1 << 20)
        var lines = 0
    }
    private var open: [String: OpenFile] = [:]
    private var window: Int64?
    private var scratch = TelemetryModel.WriteBuffer(capacity: 64 * 1024)
    private(set) var records: UInt64 = 0
    private(set) var bytes: UInt64 = 0
    private(set) var files: [String] = []
    var delivery: KafkaDeliveryReport? { nil }

    /// Files hold five minutes, as AWS delivers them.
    static let deliveryMs: Int64 = 300_000
    /// A file grows no larger than this (AWS starts a new one at 75 MB).
    static let maxFileBytes = 64 << 20

    init(spec: OutputSpec, encoder: FlowVPCEncoder, status: VPCStatusLines, vocabulary: FlowVocabulary, uploader: ObjectUploader, seed: UInt64) {
        self.spec = spec
        self.encoder = encoder
        self.status = status
        self.vocabulary = vocabulary
        self.uploader = uploader
        header = FlowVPCEncoder.header(version: encoder.version)
        self.seed = seed
    }

    func start() throws(OutputError) {}

    func write(_ chunk: FlowChunk, records range: Range<Int>, now: Double) throws(OutputError) {
        guard chunk.dataset == .flow else { throw OutputError(output: name, operation: "write", detail: "VPC flow logs are for flows") }
        for i in range {
            let e = chunk.events[i]
            let delivery = Self.floorDiv(e.endMs, Self.deliveryMs)
            if let window, delivery > window { try close() }
            window = delivery
            if status.note(e) {
                try status.settle(before: status.window(of: e)) { (host, statusWindow, skipped) throws(OutputError) in
                    scratch.removeAll()
                    encoder.appendStatus(host: host, window: statusWindow, skipped: skipped, into: &scratch)
                    try append(host: host, UnsafeRawBufferPointer(start: scratch.base, count: scratch.count))
                }
            }
            scratch.removeAll()
            var lines: [(Int, Range<Int>)] = []
            encoder.encodeLines(e, into: &scratch) { host, bytes in lines.append((host, bytes)) }
            for (host, bytes) in lines {
                try append(host: host, UnsafeRawBufferPointer(start: scratch.base + bytes.lowerBound, count: bytes.count))
            }
            records += 1
        }
    }

    private func append(host: Int, _ line: UnsafeRawBufferPointer) throws(OutputError) {
        guard let identity = vocabulary.hosts[host].identity.map({ vocabulary.identities[$0] }) else { return }
        let key = identity.accountID + "/" + identity.region
        let file = open[key] ?? OpenFile()
        if open[key] == nil {
            open[key] = file
            header.withUnsafeBytes { file.text.append($0) }
        }
        file.text.append(line)
        file.lines += 1
        if file.text.count >= Self.maxFileBytes { try ship(key, file) }
    }

    /// Compresses and hands every open file to the store.
    private func close() throws(OutputError) {
        for (key, file) in open.sorted(by: { $0.key < $1.key }) { try ship(key, file) }
    }

    private func ship(_ key: String, _ file: OpenFile) throws(OutputError) {
        open[key] = nil
        let parts = key.split(separator: "/").map(String.init)
        let (account, region) = (parts[0], parts[1])
        let start = Date(timeIntervalSince1970: Double((window ?? 0) * Self.deliveryMs) / 1_000)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: start)
        func two(_ n: Int?) -> String { String(format: "%02d", n ?? 0) }
        let stamp = "\(c.year ?? 0)\(two(c.month))\(two(c.day))T\(two(c.hour))\(two(c.minute))Z"
        let flowLog = "fl-0" + String(format: "%016llx", SeedMixer.mix(seed, FNV1a.hash(account), FNV1a.hash(region)))
        var body = TelemetryModel.WriteBuffer(capacity: file.text.count / 4 + 1024)
        file.text.withBytes { GzipCompressor(level: 6).compress($0, into: &body) }
        let bytes = body.bytes
        let hash = String(format: "%08x", UInt32(truncatingIfNeeded: SeedMixer.mix(UInt64(bytes.count), UInt64(file.lines), SeedMixer.finalize(UInt64(window ?? 0)))))
        let objectKey = "AWSLogs/\(account)/vpcflowlogs/\(region)/\(c.year ?? 0)/\(two(c.month))/\(two(c.day))/\(account)_vpcflowlogs_\(region)_\(flowLog)_\(stamp)_\(hash).log.gz"
        try uploader.enqueue(key: objectKey, body: bytes)
        self.bytes += UInt64(bytes.count)
        files.append(objectKey)
    }

    func tick(now: Double) throws(OutputError) {}

    func finish() throws(OutputError) {
        try close()
        try uploader.drain()
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : (a - b + 1) / b }
}
