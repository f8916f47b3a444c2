/// Told when the group gives this consumer partitions or takes them away.
public protocol KafkaRebalanceListener: AnyObject, Sendable {
    /// The consumer now reads `partitions` (from their committed offsets).
    func partitionsAssigned(_ partitions: [KafkaTopicPartition], consumer: KafkaConsumer)
    /// `partitions` are about to go to another member. Called before they go: finish and commit
    /// what is done with them now. When `lost` is true another member may already own them, so
    /// drop their uncommitted work instead.
    func partitionsRevoked(_ partitions: [KafkaTopicPartition], lost: Bool, consumer: KafkaConsumer)
}
