/// Records travel from the workers to the writer in chunks of this many: fixed, so that output
/// bytes (gzip members, Kafka batches) never depend on a tuning knob.
public enum RecordChunk {
    public static let capacity = 4_096
}
