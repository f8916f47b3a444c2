#if canImport(Glibc)
import Glibc
#endif
import KafkaTransport
import Synchronization
import TelemetryModel

/// What a generation run has done so far: records by label, per-output counts, errors.
public struct GenerationSnapshot: Sendable, Hashable {
    public struct Output: Sendable, Hashable {
        public var name: String
        public var records: UInt64
        public var bytes: UInt64
        public var files: [String]
        /// Set once the output failed and was closed.
        public var error: String?
        /// Kafka outputs: delivered, failed by error, in flight.
        public var delivery: KafkaDeliveryReport?
    }

    public var records: UInt64 = 0
    /// The labels of the dataset (what summaries list).
    public var labels: [AnomalyLabel] = AnomalyLabel.flowLabels
    /// Indexed by ``AnomalyLabel/rawValue``.
    public var byLabel: [UInt64] = Array(repeating: 0, count: AnomalyLabel.allCases.count)
    /// Records carrying each anomaly (a record with several counts under each), by raw value.
    public var byAnomaly: [UInt64] = Array(repeating: 0, count: AnomalyLabel.allCases.count)
    /// Events the chaos engine dropped (gaps in `seq`) among the slots released so far.
    public var dropped: UInt64 = 0
    /// Records generated but not handed to every output because the run was stopped while an
    /// output waited for room (Kafka's full queue): never in `records`.
    public var notDelivered: UInt64 = 0
    public var outputs: [Output] = []
    public var errors: [String] = []
    /// The latest flow events with an anomaly, newest last (at most ``recentAnomalyLimit``).
    public var recentAnomalies: [AnomalousEvent] = []
    public static let recentAnomalyLimit = 20
    /// Seconds since generation started.
    public var elapsed: Double = 0
    /// Flows: the simulated network's hosts, and its sessions with records still to come when the
    /// run ended (nil for other datasets).
    public var hosts: Int?
    public var openSessions: Int?
    /// Flows at a set rate: the event time the run reached (see ``ChunkWriter``), and the records
    /// the load curves give up to it (what a run that kept up writes; `--rate` is their average
    /// over a week).
    public var eventTimeReachedMs: Int64?
    public var expectedRecords: Double?
    /// ``expectedRecords`` per second of the run.
    public var expectedRate: Double? { expectedRecords.map { elapsed > 0 ? $0 / elapsed : 0 } }

    public func count(_ label: AnomalyLabel) -> UInt64 { byLabel[Int(label.rawValue)] }

    /// Average records per second.
    public var averageRate: Double { elapsed > 0 ? Double(records) / elapsed : 0 }
}

/// One anomalous flow event, as the live page of `netchaos up` lists it.
public struct AnomalousEvent: Sendable, Hashable {
    /// Event time, Unix seconds.
    public var timestamp: Int64
    public var label: String
    public var srcIP: String
    public var dstIP: String
    public var dstPort: Int
    public var transport: String
    public var bytes: Int64
}

/// Shared between the writer thread (which updates it) and the reporters (which read it).
final class GenerationStats: Sendable {
    private let state = Mutex(GenerationSnapshot())
    /// When the run's clock started: when its first records were ready (nil until then).
    private let startedAt = Mutex<Double?>(nil)

    /// The counts so far; `elapsed` is 0 until the clock starts, so periodic lines and rates
    /// cover the run from its first records, not the building of the network before them.
    func snapshot() -> GenerationSnapshot {
        var copy = state.withLock { $0 }
        copy.elapsed = startedAt.withLock { $0 }.map { MonotonicClock.now() - $0 } ?? 0
        return copy
    }

    /// Starts the run's clock at `start` (when the first records were ready).
    func startClock(at start: Double) {
        startedAt.withLock { $0 = start }
    }

    func update(_ body: (inout GenerationSnapshot) -> Void) {
        state.withLock { body(&$0) }
    }
}

/// Seconds from a monotonic clock.
enum MonotonicClock {
    static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
    }

    /// Sleeps `seconds` (no-op when not positive).
    static func sleep(_ seconds: Double) {
        guard seconds > 0 else { return }
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - seconds.rounded(.down)) * 1e9))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }
}
