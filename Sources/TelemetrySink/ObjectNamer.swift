import ObjectStorage

/// Object keys that make retries idempotent: a key depends only on the topic, the partition, the
/// offset of the object's first record and (for valid records) that record's event time. After a
/// crash the sink re-reads from the committed offset, so the first object it writes for a
/// partition starts with the same record as the one that was stored but not committed, gets the
/// same key and replaces it.
///
/// `ingest/topic=network-telemetry/dt=2026-11-22/hour=08/partition=3/network-telemetry+3+00000000000000120000.json.gz`
/// `dlq/topic=network-telemetry/partition=3/network-telemetry+3+00000000000000120007.json.gz`
public struct ObjectNamer: Sendable, Hashable {
    public var prefix: String
    public var deadLetterPrefix: String
    public var format: SinkFormat

    public init(prefix: String = "ingest", deadLetterPrefix: String = "dlq", format: SinkFormat = .jsonGzip) {
        self.prefix = prefix
        self.deadLetterPrefix = deadLetterPrefix
        self.format = format
    }

    /// The key of valid records starting at `firstOffset`, whose first record happened at
    /// `eventTime` (Unix seconds, UTC).
    public func recordsKey(topic: String, partition: Int32, firstOffset: Int64, eventTime: Int64) -> String {
        let (date, hour) = Self.dateHour(eventTime)
        return "\(prefix)/topic=\(topic)/dt=\(date)/hour=\(hour)/partition=\(partition)/\(Self.fileName(topic, partition, firstOffset))\(format.fileExtension)"
    }

    /// The key of dead letters starting at `firstOffset`.
    public func deadLettersKey(topic: String, partition: Int32, firstOffset: Int64) -> String {
        "\(deadLetterPrefix)/topic=\(topic)/partition=\(partition)/\(Self.fileName(topic, partition, firstOffset))\(format.deadLetterFormat.fileExtension)"
    }

    /// `topic+partition+offset`, the offset zero-padded to 20 digits so names sort by offset.
    static func fileName(_ topic: String, _ partition: Int32, _ offset: Int64) -> String {
        "\(topic)+\(partition)+\(UTCDateTime.padded(max(offset, 0), 20))"
    }

    /// `(YYYY-MM-DD, HH)` of Unix seconds in UTC.
    static func dateHour(_ seconds: Int64) -> (String, String) {
        let t = UTCDateTime(unixSeconds: seconds)
        let date = "\(UTCDateTime.padded(t.year, 4))-\(UTCDateTime.padded(t.month, 2))-\(UTCDateTime.padded(t.day, 2))"
        return (date, UTCDateTime.padded(t.hour, 2))
    }
}
