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
        "\(deadLetterPrefix)/topic=\(topic)/partition=\(partition)/\(Self.fileName(topic, partition, firstOffset))\(format.fileExtension)"
    }

    /// `topic+partition+offset`, the offset zero-padded to 20 digits so names sort by offset.
    static func fileName(_ topic: String, _ partition: Int32, _ offset: Int64) -> String {
        let digits = String(max(offset, 0))
        return "\(topic)+\(partition)+\(String(repeating: "0", count: max(0, 20 - digits.count)))\(digits)"
    }

    /// `(YYYY-MM-DD, HH)` of Unix seconds in UTC (proleptic Gregorian calendar).
    static func dateHour(_ seconds: Int64) -> (String, String) {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let hour = (seconds - days * 86_400) / 3_600
        // Civil-from-days (Howard Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return ("\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))", pad(hour, 2))
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
