import Foundation
import Synchronization

/// The latest whole snapshot, as the Go switch generator's `/counters` CSV
/// (`timestamp,switch_id,bandwidth_mbps,latency_ms,packet_errors`), for the pull-mode server.
public final class SnapshotBoard: Sendable {
    public struct Snapshot: Sendable {
        public var timestamp: Int64
        public var csv: [UInt8]
        public var switches: Int
        /// Increments with every snapshot published (the ETag).
        public var version: UInt64
        /// Unix seconds (wall clock) when it was published (`Last-Modified`).
        public var publishedAt: Double
    }

    private let current = Mutex<Snapshot?>(nil)

    public init() {}

    public var latest: Snapshot? { current.withLock { $0 } }

    func publish(timestamp: Int64, csv: [UInt8], switches: Int) {
        current.withLock { state in
            state = Snapshot(
                timestamp: timestamp, csv: csv, switches: switches, version: (state?.version ?? 0) + 1, publishedAt: Date().timeIntervalSince1970
            )
        }
    }

    /// The Go switch generator's CSV header.
    public static let header = "timestamp,switch_id,bandwidth_mbps,latency_ms,packet_errors\n"
}
