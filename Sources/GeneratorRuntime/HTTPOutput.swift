import AsyncHTTPClient
import NIOSSL
import Foundation
import KafkaTransport
import Logging
import NIOCore
import NIOHTTP1
import TelemetryFormats
import TelemetryModel

/// Push mode: POSTs every whole snapshot (at most `batchRecords` records a request) to an
/// ingester's `/telemetry` as a JSON array. While the ingester is unreachable or answers 5xx,
/// the request is retried with doubling backoff for up to `retryWindow` seconds (generation waits:
/// nothing is dropped); a 4xx is a refusal that retrying cannot fix and fails the output with
/// the ingester's message.
final class HTTPOutput: RecordOutput {
    let spec: OutputSpec
    private let url: String
    private let token: String?
    private let retryWindow: Double
    private let logger: Logger
    /// This output's own client, shut down by ``finish()`` (or when the output goes away unfinished):
    /// not the shared one, whose pool would keep connecting and reconnecting to the ingester after
    /// the output has finished. In `netchaos up` the ingester is a server of the same process, and
    /// one that shuts down while a connection to it is being accepted traps in SwiftNIO
    /// ("Deinited NIOAsyncWriter without calling finish()").
    private let client: HTTPClient
    private var shutDown = false

    /// Certificates to trust for HTTPS instead of the system's.
    struct Trust {
        var caFile: String
        var verifiesHostname: Bool
    }
    private var assembler: SnapshotAssembler
    private let encoder: SwitchTextEncoder
    private var json = TelemetryModel.WriteBuffer(capacity: 1 << 20)
    private var ends: [Int] = []
    private(set) var records: UInt64 = 0
    private(set) var bytes: UInt64 = 0
    private(set) var requests: UInt64 = 0
    private(set) var retries: UInt64 = 0
    var files: [String] { [] }
    var delivery: KafkaDeliveryReport? { nil }

    init(
        spec: OutputSpec, url: String, generatorID: String, token: String?, trust: Trust? = nil, batchRecords: Int = 5_000, retryWindow: Double = 30,
        logger: Logger
    ) {
        var configuration = HTTPClient.Configuration()
        if let trust {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .file(trust.caFile)
            tls.certificateVerification = trust.verifiesHostname ? .fullVerification : .noHostnameVerification
            configuration.tlsConfiguration = tls
        }
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.spec = spec
        self.url = url + "/telemetry"
        self.token = token
        self.retryWindow = retryWindow
        self.logger = logger
        assembler = SnapshotAssembler(maxRecords: batchRecords)
        encoder = SwitchTextEncoder(generatorID: generatorID, style: .json)
    }

    func start() throws(OutputError) {
        // The ingester must answer before generation starts (a wrong URL fails at once).
        let health = url.replacingOccurrences(of: "/telemetry", with: "/health")
        do {
            let response = try client.get(url: health, deadline: .now() + .seconds(10)).wait()
            guard response.status == .ok else {
                throw OutputError(output: name, operation: "reach", detail: "\(health) answered \(response.status.code)")
            }
        } catch let error as OutputError {
            throw error
        } catch {
            throw OutputError(output: name, operation: "reach", detail: "\(health): \(error)")
        }
    }

    func write(_ chunk: FlowChunk, records range: Range<Int>, now: Double) throws(OutputError) {
        guard chunk.dataset == .switches else {
            throw OutputError(output: name, operation: "post to", detail: "an ingester takes the switch dataset (--dataset switch)")
        }
        try assembler.add(chunk, range) { (snapshot) throws(OutputError) in try post(snapshot) }
    }

    func tick(now: Double) throws(OutputError) {}

    deinit { shutDownClient() }

    /// Closes the client's connections and ends its connection attempts, waiting until they have.
    private func shutDownClient() {
        guard !shutDown else { return }
        shutDown = true
        try? client.syncShutdown()
    }

    func finish() throws(OutputError) {
        defer { shutDownClient() }
        try assembler.flush { (snapshot) throws(OutputError) in try post(snapshot) }
        logger.info("http output finished", metadata: [
            "http.url": "\(url)", "http.requests": "\(requests)", "http.retries": "\(retries)", "http.records": "\(records)",
        ])
    }

    private func post(_ snapshot: [SwitchSnapshot]) throws(OutputError) {
        json.removeAll()
        if ends.count < snapshot.count { ends = Array(repeating: 0, count: snapshot.count) }
        snapshot.withUnsafeBufferPointer { records in
            ends.withUnsafeMutableBufferPointer { ends in
                encoder.encode(records.baseAddress!, count: records.count, into: &json, recordEnds: ends.baseAddress!)
            }
        }
        // JSON lines -> one JSON array: newlines become commas.
        var body = [UInt8]()
        body.reserveCapacity(json.count + 2)
        body.append(UInt8(ascii: "["))
        json.withBytes { raw in
            var start = 0
            for (index, end) in ends.prefix(snapshot.count).enumerated() {
                if index > 0 { body.append(UInt8(ascii: ",")) }
                body.append(contentsOf: raw[start..<(end - 1)])
                start = end
            }
        }
        body.append(UInt8(ascii: "]"))

        var backoff = 0.1
        let deadline = Date().addingTimeInterval(retryWindow)
        while true {
            var request: HTTPClient.Request
            do {
                request = try HTTPClient.Request(url: url, method: .POST)
            } catch {
                throw OutputError(output: name, operation: "post to", detail: "\(error)")
            }
            request.headers.add(name: "Content-Type", value: "application/json")
            if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
            request.body = .bytes(body)
            var problem: String
            do {
                // A short deadline: AsyncHTTPClient keeps trying to connect until it passes, and
                // this loop is what logs, counts and bounds the waiting.
                let response = try client.execute(request: request, deadline: .now() + .seconds(3)).wait()
                requests += 1
                let text = response.body.map { String(buffer: $0) } ?? ""
                switch response.status.code {
                case 200..<300:
                    records += UInt64(snapshot.count)
                    bytes += UInt64(body.count)
                    return
                case 400..<500:
                    throw OutputError(output: name, operation: "post to", detail: "the ingester refused the snapshot (\(response.status.code)): \(text.prefix(500))")
                default:
                    problem = "\(response.status.code) \(text.prefix(200))"
                }
            } catch let error as OutputError {
                throw error
            } catch {
                problem = "\(error)"
            }
            guard Date() < deadline else {
                throw OutputError(output: name, operation: "post to", detail: "no ingester took the snapshot within \(Int(retryWindow))s: \(problem)")
            }
            if retries == 0 || retries % 20 == 0 {
                logger.warning("ingester unavailable, retrying", metadata: ["http.url": "\(url)", "error": "\(problem)"])
            }
            retries += 1
            Thread.sleep(forTimeInterval: backoff)
            backoff = min(backoff * 2, 2)
        }
    }
}
