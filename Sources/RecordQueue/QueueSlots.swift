/// The slots of a block's records: the generator that wrote them and each record's `seq`, kept
/// beside the records as Kafka keeps them in message headers, so that a reader can name a record
/// whose bytes no longer say which it was.
public struct QueueSlots: Sendable {
    public let generatorID: String
    /// One a record, in the block's order.
    public let seqs: [Int64]

    public init(generatorID: String, seqs: [Int64]) {
        self.generatorID = generatorID
        self.seqs = seqs
    }
}
