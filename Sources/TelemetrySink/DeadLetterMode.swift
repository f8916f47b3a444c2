/// Where records that fail validation go, with their reason, partition and offset.
public enum DeadLetterMode: String, Sendable, Hashable, CaseIterable {
    /// Objects under `dlq/` in the same store, named like the batches (exactly once).
    case store
    /// The Kafka topic `<topic>.dlq` (at least once: a crash may repeat some).
    case kafka
    /// Both.
    case both

    public var usesStore: Bool { self != .kafka }
    public var usesKafka: Bool { self != .store }
}
