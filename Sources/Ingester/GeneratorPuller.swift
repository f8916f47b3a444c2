import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle

/// The Go ingester's mode: every `interval` seconds, GET `<generator>/counters` (its CSV)
/// and store the snapshot. Conditional requests (`If-None-Match`, `If-Modified-Since`) let the
/// generator answer 304 while its snapshot is unchanged. A generator that is down or answers
/// badly is logged and counted, and tried again next interval.
public final class GeneratorPuller: Service, Sendable {
    let url: String
    let interval: Double
    let store: any MetricStore
    let stats: IngestStats
    let logger: Logger
    let client: HTTPClient

    public init(url: String, interval: Double, store: any MetricStore, stats: IngestStats, logger: Logger, client: HTTPClient = .shared) {
        self.url = url + "/counters"
        self.interval = interval
        self.store = store
        self.stats = stats
        self.logger = logger
        self.client = client
    }

    public func run() async throws {
        // Graceful shutdown cancels the loop (and its sleep).
        await cancelWhenGracefulShutdown { await self.loop() }
    }

    private func loop() async {
        var etag: String?
        var lastModified: String?
        var failing = false
        while !Task.isCancelled {
            do {
                var request = HTTPClientRequest(url: url)
                if let etag { request.headers.add(name: "If-None-Match", value: etag) }
                if let lastModified { request.headers.add(name: "If-Modified-Since", value: lastModified) }
                let response = try await client.execute(request, timeout: .seconds(Int64(max(interval, 1) * 2)))
                let body = try await response.body.collect(upTo: 64 << 20)
                switch response.status.code {
                case 304:
                    break
                case 200:
                    // The store refuses timestamps too far ahead of the clock (nothing is stored).
                    let reports = try ReportParser.csv(Array(body.readableBytesView)).reports
                    try await store.put(reports)
                    stats.stored(reports.count)
                    etag = response.headers.first(name: "ETag")
                    lastModified = response.headers.first(name: "Last-Modified")
                default:
                    throw PullError(message: "\(url) answered \(response.status.code)")
                }
                stats.pulled(ok: true)
                if failing {
                    logger.info("generator pull restored", metadata: ["ingest.generator": "\(url)"])
                    failing = false
                }
            } catch {
                stats.pulled(ok: false)
                if !failing {
                    logger.warning("generator pull failed", metadata: ["ingest.generator": "\(url)", "error": "\(Self.describe(error))"])
                    failing = true
                }
            }
            try? await Task.sleep(for: .milliseconds(Int64(interval * 1000)))
        }
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case let failure as ReportParser.Failure: "bad CSV: \(failure.message)"
        case let failure as MetricStoreError: failure.detail
        default: "\(error)"
        }
    }

    struct PullError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}
