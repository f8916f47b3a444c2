/// The slots 0 to `expected - 1` of one generator, counted 64 at a time from the bit words of its
/// slot sets: which are missing (neither present, dead-lettered nor planned drops), which of those
/// may be refused records that no longer name their slot, and which planned drops were found
/// anyway. A pass over six million slots reads about 94,000 words, not six million slots.
struct SlotTally {
    private(set) var missing = 0
    /// Missing slots that may be dead letters without their slot: planned malformed records, or
    /// any missing slot when there is no manifest (`malformed` nil).
    private(set) var refusable = 0
    /// Missing slots no dead letter can explain.
    private(set) var lost = 0
    private(set) var dropsFound = 0
    /// The first missing ranges, at most `rangeLimit`, each as long as it runs.
    private(set) var missingRanges: [ClosedRange<Int64>] = []

    init(expected: Int64, present: SlotSet, deadLettered: SlotSet, drops: SlotSet, malformed: SlotSet?, rangeLimit: Int = ReconciliationReport.sampleLimit) {
        guard expected > 0 else { return }
        let none = [UInt64](repeating: 0, count: SlotSet.wordsPerBlock)
        let blocks = (expected - 1) >> SlotSet.blockShift + 1
        for block in 0..<blocks {
            let presentWords = present.words(ofBlock: block) ?? none
            let deadWords = deadLettered.words(ofBlock: block) ?? none
            let dropWords = drops.words(ofBlock: block) ?? none
            let malformedWords = malformed.map { $0.words(ofBlock: block) ?? none }
            let first = block << SlotSet.blockShift
            for w in 0..<SlotSet.wordsPerBlock {
                let base = first + Int64(w * 64)
                guard base < expected else { break }
                let inRange = expected - base >= 64 ? ~UInt64(0) : (UInt64(1) << UInt64(expected - base)) - 1
                let seen = presentWords[w] | deadWords[w]
                let dropped = dropWords[w] & inRange
                dropsFound += (dropped & seen).nonzeroBitCount
                let gone = ~seen & ~dropped & inRange
                guard gone != 0 else { continue }
                let mayBeRefused = malformedWords.map { gone & $0[w] } ?? gone
                missing += gone.nonzeroBitCount
                refusable += mayBeRefused.nonzeroBitCount
                lost += (gone & ~mayBeRefused).nonzeroBitCount
                addRanges(gone, at: base, limit: rangeLimit)
            }
        }
    }

    /// Adds the runs of set bits in `word` (slot `base` for bit 0) to the missing ranges, joining
    /// a run that continues the last range; once `limit` ranges are kept, only that last one grows.
    private mutating func addRanges(_ word: UInt64, at base: Int64, limit: Int) {
        var bits = word
        while bits != 0 {
            let start = bits.trailingZeroBitCount
            let length = (~(bits >> UInt64(start))).trailingZeroBitCount
            let lower = base + Int64(start)
            let upper = lower + Int64(length) - 1
            if let last = missingRanges.last, last.upperBound + 1 == lower {
                missingRanges[missingRanges.count - 1] = last.lowerBound...upper
            } else if missingRanges.count < limit {
                missingRanges.append(lower...upper)
            } else {
                return
            }
            guard start + length < 64 else { return }
            bits &= ~((UInt64(1) << UInt64(start + length)) - 1)
        }
    }
}
