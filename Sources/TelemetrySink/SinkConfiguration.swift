import Configuration
import KafkaTransport
import ObjectStorage
import Settings
import TransportSettings

/// Everything `netchaos sink` needs besides the Kafka consumer and the store's own settings:
/// where objects go and how they are named, when a batch is flushed, memory, retries and
/// dead letters.
public struct SinkConfiguration: Sendable, Hashable {
    /// `file:PATH` or `s3://BUCKET[/PREFIX]`.
    public var store: String
    /// Key prefix of valid-record objects (`ingest`).
    public var prefix: String
    /// Key prefix of dead-letter objects (`dlq`).
    public var deadLetterPrefix: String
    public var format: SinkFormat
    public var compressionLevel: Int
    /// A partition's batch is flushed at this many records (valid or not)...
    public var batchSize: Int
    /// ...or at this many bytes of records...
    public var batchBytes: Int
    /// ...or when its oldest record has waited this many seconds, even if nothing else arrives.
    public var flushInterval: Double
    /// Bytes held by open and uploading batches; above it the largest open batch flushes first,
    /// and reading pauses while uploads alone hold it.
    public var memoryBytes: Int
    /// Objects uploading at once (each partition uploads one object at a time, in order).
    public var uploadConcurrency: Int
    /// First backoff after a failed upload or commit; doubles up to ``retryMax``, with jitter.
    public var retryInitial: Double
    public var retryMax: Double
    public var deadLetters: DeadLetterMode
    /// The dead-letter topic; nil means `<topic>.dlq`.
    public var deadLetterTopic: String?
    /// How long shutdown (and a rebalance) waits for the last uploads and commits.
    public var shutdownTimeout: Double
    /// Exit once every assigned partition is stored and committed up to its end.
    public var stopAtEnd: Bool

    public static let defaultStore = "file:./netchaos-data"

    public init(
        store: String = Self.defaultStore, prefix: String = "ingest", deadLetterPrefix: String = "dlq",
        format: SinkFormat = .jsonGzip, compressionLevel: Int? = nil, batchSize: Int = 2_000,
        batchBytes: Int = 16 << 20, flushInterval: Double = 5, memoryBytes: Int = 256 << 20,
        uploadConcurrency: Int = 8, retryInitial: Double = 0.2, retryMax: Double = 30,
        deadLetters: DeadLetterMode = .store, deadLetterTopic: String? = nil, shutdownTimeout: Double = 30,
        stopAtEnd: Bool = false
    ) {
        self.store = store
        self.prefix = prefix
        self.deadLetterPrefix = deadLetterPrefix
        self.format = format
        self.compressionLevel = compressionLevel ?? format.defaultLevel
        self.batchSize = batchSize
        self.batchBytes = batchBytes
        self.flushInterval = flushInterval
        self.memoryBytes = memoryBytes
        self.uploadConcurrency = uploadConcurrency
        self.retryInitial = retryInitial
        self.retryMax = retryMax
        self.deadLetters = deadLetters
        self.deadLetterTopic = deadLetterTopic
        self.shutdownTimeout = shutdownTimeout
        self.stopAtEnd = stopAtEnd
    }

    /// Reads the `sink.*` knobs. Without `sink.store`, S3 is the default store when an S3
    /// endpoint, an access key or a bucket is configured.
    public init(config: ConfigReader) throws(ConfigurationError) {
        let values = ConfigValues(config)
        let knobs = Knobs.sink, s3 = Knobs.s3
        self.init()
        if let store = try values.value(knobs.store) {
            _ = try StoreSettings.location(store)
            self.store = store
        } else if values.isSet(s3.endpoint) || values.isSet(s3.accessKeyId) || values.isSet(s3.bucket) {
            let bucket = try values.value(Knobs.s3.bucket)
            _ = try StoreSettings.bucket(bucket)
            self.store = "s3://" + bucket
        }
        let prefix = try values.value(knobs.prefix)
        let trimmed = prefix.trimmingSlashes
        guard !trimmed.isEmpty, !trimmed.split(separator: "/").contains(where: { $0 == ".." || $0 == "." }) else {
            throw values.fail(knobs.prefix, prefix, "a key prefix such as ingest or raw/flows")
        }
        self.prefix = trimmed
        let formatName = try values.value(knobs.format)
        guard let format = SinkFormat(rawValue: formatName) else {
            throw values.fail(knobs.format, formatName, SinkFormat.allCases.map(\.rawValue).joined(separator: ", "))
        }
        self.format = format
        compressionLevel = try values.value(knobs.compressionLevel) ?? format.defaultLevel
        guard format.levels.contains(compressionLevel) else {
            throw values.fail(knobs.compressionLevel, String(compressionLevel), "a whole number from \(format.levels.lowerBound) to \(format.levels.upperBound) for \(format.rawValue)")
        }
        batchSize = try values.value(knobs.batchSize)
        batchBytes = try values.value(knobs.batchBytes)
        flushInterval = try values.value(knobs.flushInterval)
        memoryBytes = try values.value(knobs.memoryBytes)
        uploadConcurrency = try values.value(knobs.uploadConcurrency)
        retryInitial = try values.value(knobs.retryInitial)
        retryMax = try values.value(knobs.retryMax)
        guard retryMax >= retryInitial else {
            throw values.fail(knobs.retryMax, values.text(knobs.retryMax) ?? "\(retryMax)", "at least sink.retry_initial (\(retryInitial)s)")
        }
        let mode = try values.value(knobs.dlq)
        guard let deadLetters = DeadLetterMode(rawValue: mode) else {
            throw values.fail(knobs.dlq, mode, DeadLetterMode.allCases.map(\.rawValue).joined(separator: ", "))
        }
        self.deadLetters = deadLetters
        if let topic = try values.value(knobs.dlqTopic) {
            deadLetterTopic = try KafkaSettings.topic(topic, key: knobs.dlqTopic.knob.key)
        }
        shutdownTimeout = try values.value(knobs.shutdownTimeout)
        stopAtEnd = try values.value(knobs.stopAtEnd)
    }

    /// The dead-letter topic for records read from `topic`.
    public func deadLetterTopic(for topic: String) -> String { deadLetterTopic ?? topic + ".dlq" }
}

extension String {
    var trimmingSlashes: String {
        var text = Substring(self)
        while text.hasPrefix("/") { text = text.dropFirst() }
        while text.hasSuffix("/") { text = text.dropLast() }
        return String(text)
    }
}
