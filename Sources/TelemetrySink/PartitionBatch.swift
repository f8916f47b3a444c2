import KafkaTransport
import TelemetryModel

/// The records of one partition read since its last flush, in offset order: valid records as
/// NDJSON, refused ones as dead-letter lines. Covers the offsets `firstOffset...lastOffset`;
/// once stored, `lastOffset + 1` may be committed.
public struct PartitionBatch: Sendable {
    public let topicPartition: KafkaTopicPartition
    public let firstOffset: Int64
    public private(set) var lastOffset: Int64
    /// Messages read (valid and refused).
    public private(set) var messages = 0
    /// Valid records, one JSON object per line.
    public private(set) var records: [UInt8] = []
    public private(set) var recordCount = 0
    /// For sinks that write columns: where each valid record starts in ``records`` and where
    /// each of its fields lies in it (``FlowRecordField/allCases``.count spans per record).
    public private(set) var recordStarts: [Int] = []
    public private(set) var fieldSpans: [FlowSpan] = []
    /// The offset and event time of the first valid record: they name the records' object.
    public private(set) var firstRecordOffset: Int64?
    public private(set) var firstRecordTime: Int64 = 0
    /// Dead letters, one JSON object per line, and where each line ends.
    public private(set) var deadLetters: [UInt8] = []
    public private(set) var deadLetterEnds: [Int] = []
    public private(set) var firstDeadLetterOffset: Int64?
    /// When the first message arrived (the flush timer counts from here).
    public let openedAt: ContinuousClock.Instant
    /// Incremented when the partition is assigned again: uploads of an older epoch never commit.
    public var epoch = 0

    /// - Parameter buffer: an empty array to hold the records (a recycled one keeps its capacity).
    public init(topicPartition: KafkaTopicPartition, firstOffset: Int64, openedAt: ContinuousClock.Instant, reserve: Int = 0, buffer: [UInt8] = []) {
        self.topicPartition = topicPartition
        self.firstOffset = firstOffset
        self.lastOffset = firstOffset - 1
        self.openedAt = openedAt
        records = buffer
        records.removeAll(keepingCapacity: true)
        records.reserveCapacity(reserve)
    }

    /// Bytes held.
    public var bytes: Int { records.count + deadLetters.count }
    public var deadLetterCount: Int { deadLetterEnds.count }
    public var isEmpty: Bool { messages == 0 }

    /// Adds a valid record (without its newline), with its fields' spans when the sink writes
    /// columns.
    public mutating func append(record: UnsafeRawBufferPointer, offset: Int64, eventTime: Int64, spans: UnsafeBufferPointer<FlowSpan>? = nil) {
        if firstRecordOffset == nil {
            firstRecordOffset = offset
            firstRecordTime = eventTime
        }
        if let spans {
            recordStarts.append(records.count)
            fieldSpans.append(contentsOf: spans)
        }
        records.append(contentsOf: record)
        records.append(UInt8(ascii: "\n"))
        recordCount += 1
        advance(to: offset)
    }

    /// Adds a refused record with why.
    public mutating func append(deadLetter: DeadLetter, record: UnsafeRawBufferPointer) {
        if firstDeadLetterOffset == nil { firstDeadLetterOffset = deadLetter.offset }
        deadLetter.write(record: record, to: &deadLetters)
        deadLetterEnds.append(deadLetters.count)
        advance(to: deadLetter.offset)
    }

    private mutating func advance(to offset: Int64) {
        precondition(offset > lastOffset, "offsets of \(topicPartition) went back from \(lastOffset) to \(offset)")
        lastOffset = offset
        messages += 1
    }

    /// Hands the records' buffer over (for reuse), leaving the batch without records.
    public mutating func takeRecords() -> [UInt8] {
        var taken: [UInt8] = []
        swap(&taken, &records)
        return taken
    }

    /// The dead-letter lines without their newlines (for a dead-letter topic).
    public func deadLetterLines() -> [ArraySlice<UInt8>] {
        var start = 0
        return deadLetterEnds.map { end in
            defer { start = end }
            return deadLetters[start..<(end - 1)]
        }
    }
}
