/// What ``FlowRecordValidator`` learns from a valid record: the few values a sink needs to route
/// and count it, without copying any string out of the record.
///
/// Byte ranges are offsets into the record that was validated, covering a string's contents
/// between its quotes as written (escapes not decoded; see the `…HasEscapes` flags).
public struct ValidFlowRecord: Sendable, Hashable {
    /// Unix seconds, UTC (`timestamp`), 0 through 253402300799 (9999-12-31T23:59:59Z).
    public var timestamp: Int64
    /// `label`, when the record has one (records of the Go producer do not).
    public var label: AnomalyLabel?
    /// `anomalies`, when present (`normal` in the list adds nothing to the set).
    public var anomalies: AnomalySet?
    /// `malformed_kind`, when present.
    public var malformedKind: MalformedKind?
    /// `seq`, when present.
    public var seq: Int64?
    /// `start_ms`, `end_ms` and `session_id`, when present.
    public var startMs: Int64?
    public var endMs: Int64?
    public var sessionID: Int64?
    /// Bytes of `event_id`'s contents.
    public var eventIDRange: Range<Int>
    /// Whether `event_id` is written with escapes (then decode it with ``eventID(in:)``).
    public var eventIDHasEscapes: Bool
    /// Bytes of `generator_id`'s contents, when present.
    public var generatorIDRange: Range<Int>?
    /// Whether `generator_id` is written with escapes.
    public var generatorIDHasEscapes: Bool

    public init(
        timestamp: Int64 = 0, label: AnomalyLabel? = nil, anomalies: AnomalySet? = nil,
        malformedKind: MalformedKind? = nil, seq: Int64? = nil, eventIDRange: Range<Int> = 0..<0,
        eventIDHasEscapes: Bool = false, generatorIDRange: Range<Int>? = nil, generatorIDHasEscapes: Bool = false
    ) {
        self.timestamp = timestamp
        self.label = label
        self.anomalies = anomalies
        self.malformedKind = malformedKind
        self.seq = seq
        self.eventIDRange = eventIDRange
        self.eventIDHasEscapes = eventIDHasEscapes
        self.generatorIDRange = generatorIDRange
        self.generatorIDHasEscapes = generatorIDHasEscapes
    }

    /// The decoded `event_id`, read from the record this value was made from (allocates).
    public func eventID(in record: UnsafeRawBufferPointer) -> String {
        Self.decode(eventIDRange, escaped: eventIDHasEscapes, in: record)
    }

    /// The decoded `generator_id`, read from the record this value was made from (allocates).
    public func generatorID(in record: UnsafeRawBufferPointer) -> String? {
        generatorIDRange.map { Self.decode($0, escaped: generatorIDHasEscapes, in: record) }
    }

    private static func decode(_ range: Range<Int>, escaped: Bool, in record: UnsafeRawBufferPointer) -> String {
        guard let base = record.baseAddress, range.upperBound <= record.count else { return "" }
        guard escaped else { return String(decoding: UnsafeRawBufferPointer(rebasing: record[range]), as: UTF8.self) }
        let scanner = JSONByteScanner(base: base, count: record.count)
        // The validator passed this string, so it is well formed; only its decoded length is unknown.
        return scanner.decodedString(JSONStringToken(start: range.lowerBound, end: range.upperBound, decodedCount: range.count))
    }
}
