import KafkaTransport
import ObjectStorage
import Settings

/// Why the sink stopped before it was asked to.
public enum SinkError: Error, Sendable, CustomStringConvertible {
    /// The store refused in a way retrying cannot fix (credentials, permissions, missing bucket).
    case store(ObjectStoreError)
    /// Kafka refused in a way retrying cannot fix.
    case kafka(KafkaError)
    /// Shutdown ran out of time with batches not stored; their offsets stay uncommitted, so the
    /// next run reads them again.
    case unfinished(batches: Int, seconds: Double)
    /// A valid record could not be encoded in the object format (a bug: the validator passed it);
    /// its batch stays uncommitted.
    case encoding(String)

    public var description: String {
        switch self {
        case .store(let error): "object store: \(error)"
        case .kafka(let error): "kafka: \(error)"
        case .unfinished(let batches, let seconds):
            "\(batches) partition batches were not stored within \(seconds.compact)s of shutdown; their offsets were not committed, so the next run reads them again"
        case .encoding(let problem): "encoding: \(problem); the batch was not stored or committed"
        }
    }
}
