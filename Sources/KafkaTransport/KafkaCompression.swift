/// A producer's batch compression (librdkafka's `compression.codec`).
public enum KafkaCompression: String, Sendable, CaseIterable, Hashable {
    case none, gzip, snappy, lz4, zstd

    public static let allowedNames = "none, gzip, snappy, lz4, zstd"
}

/// What a produced message's key is; records with one key land in one partition, in order.
public enum KafkaMessageKey: String, Sendable, CaseIterable, Hashable {
    /// The source address: a port scan stays in order in one partition.
    case srcIP = "src_ip"
    case eventID = "event_id"
    /// No key: librdkafka spreads records over partitions.
    case none

    public static let allowedNames = "src_ip, event_id, none"
}

/// How many replicas confirm a write before it counts as delivered (`acks`).
public enum KafkaAcks: String, Sendable, CaseIterable, Hashable {
    case all, leader = "1", none = "0"

    public static let allowedNames = "all, 1, 0"
}
