import KafkaTransport
import Synchronization

/// The sink's counters, shared by the poll thread and the uploads. Read as a ``Snapshot``.
public final class SinkStats: Sendable {
    public struct Snapshot: Sendable, Hashable {
        /// Messages read from Kafka.
        public var consumed: UInt64 = 0
        /// Records that passed validation.
        public var valid: UInt64 = 0
        /// Refused records by reason.
        public var invalid: [String: UInt64] = [:]
        /// Valid records in stored objects (their offsets committed or about to be).
        public var recordsStored: UInt64 = 0
        /// Dead letters in stored objects, and produced to the dead-letter topic.
        public var deadLettersStored: UInt64 = 0
        public var deadLettersProduced: UInt64 = 0
        /// Objects stored: valid-record batches and dead-letter batches.
        public var objects: UInt64 = 0
        public var deadLetterObjects: UInt64 = 0
        /// Bytes stored (compressed) and the NDJSON bytes they hold.
        public var bytesStored: UInt64 = 0
        public var recordBytes: UInt64 = 0
        /// Failed attempts that were retried, by error code (`unreachable`, `server`, ...).
        public var uploadRetries: [String: UInt64] = [:]
        /// Offsets commits that succeeded, and those that failed (retried, or dropped on rebalance).
        public var commits: UInt64 = 0
        public var commitFailures: UInt64 = 0
        /// Batches given up uncommitted because their partition went to another member.
        public var batchesDropped: UInt64 = 0
        /// Seconds spent in successful uploads, and their count (for the mean).
        public var uploadSeconds: Double = 0
        public var uploads: UInt64 = 0
        /// Next offset to read per partition, as committed by this member.
        public var committed: [KafkaTopicPartition: Int64] = [:]
        /// Times reading paused because uploads held the memory budget.
        public var pauses: UInt64 = 0
        /// Times reading waited (under a second, without pausing) for uploads to free the budget.
        public var uploadWaits: UInt64 = 0
        /// When the first record was read (rates count from here, not from joining the group).
        public var firstRead: ContinuousClock.Instant?
        /// Consumer errors by name (the consumer goes on).
        public var consumerErrors: [String: UInt64] = [:]
        /// Records between the committed offset and the end of each assigned partition, as of
        /// the last fetch (updated about once a second).
        public var lag: [KafkaTopicPartition: Int64] = [:]
        /// The latest objects of valid records stored, newest last (at most ``recentLimit``).
        public var recentObjects: [StoredObject] = []
    }

    /// One object the sink stored.
    public struct StoredObject: Sendable, Hashable {
        public var key: String
        public var records: Int
        public var bytes: Int
        /// Unix seconds.
        public var storedAt: Double
    }

    public static let recentLimit = 10

    private let state = Mutex(Snapshot())

    public init() {}

    public var snapshot: Snapshot { state.withLock { $0 } }

    func update(_ body: (inout Snapshot) -> Void) { state.withLock { body(&$0) } }

    /// Reads a value without copying the whole snapshot.
    func read<T>(_ body: (Snapshot) -> T) -> T { state.withLock { body($0) } }

    /// Adds what one poll read.
    func read(consumed: Int, valid: Int, invalid: [String: Int]) {
        state.withLock { s in
            if s.firstRead == nil, consumed > 0 { s.firstRead = .now }
            s.consumed += UInt64(consumed)
            s.valid += UInt64(valid)
            for (reason, count) in invalid { s.invalid[reason, default: 0] += UInt64(count) }
        }
    }
}
