/// Inclusive ranges of sequence numbers as text: `3-5`, or `9` for a range of one.
enum SlotRanges {
    static func text(_ range: ClosedRange<Int64>) -> String {
        range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound)-\(range.upperBound)"
    }
}
