/// The places a test can arm with `NETCHAOS_FAILPOINTS` (see ``FailPoints``).
public enum FailPoint: String, CaseIterable, Sendable {
    /// The sink stored a batch's objects (records and dead letters) and has not committed its offset.
    case sinkAfterUploadBeforeCommit = "sink.after_upload_before_commit"
    /// The sink stored a batch's records object and not yet its dead letters.
    case sinkBetweenRecordsAndDeadLetters = "sink.between_records_and_dead_letters"
    /// The sink committed a batch's offset.
    case sinkAfterCommit = "sink.after_commit"
    /// An S3 multipart upload sent its parts and has not completed (the upload stays open).
    case sinkMidMultipart = "sink.mid_multipart"
    /// The directory store wrote and synced a temporary file and has not renamed it.
    case storeBeforeRename = "store.before_rename"
    /// The directory store renamed a temporary file over its key and has not synced the directory.
    case storeAfterRenameBeforeCleanup = "store.after_rename_before_cleanup"
    /// The generator handed a batch of records to Kafka's producer (not yet delivered).
    case producerAfterBatch = "producer.after_batch"
    /// `netchaos up`'s in-process queue is full and the generator waits for room.
    case upQueueFull = "up.queue_full"
}
