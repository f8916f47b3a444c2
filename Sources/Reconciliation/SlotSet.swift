/// A set of sequence numbers, as bits in blocks of 65,536, so that a sparse or huge `seq` costs
/// one block and a dense run of millions costs a bit each.
struct SlotSet: Sendable {
    static let blockShift = 16
    /// Slots a block holds, a bit each.
    static let slotsPerBlock = Int64(1) << blockShift
    static let wordsPerBlock = (1 << blockShift) / 64
    private var blocks: [Int64: [UInt64]] = [:]
    private(set) var count = 0
    /// One more than the largest member (0 when empty).
    private(set) var end: Int64 = 0

    /// Adds `seq`; false when it was there already.
    @discardableResult
    mutating func insert(_ seq: Int64) -> Bool {
        let block = seq >> Self.blockShift
        let bit = Int(seq & Int64((1 << Self.blockShift) - 1))
        let mask = UInt64(1) << UInt64(bit & 63)
        var added = false
        blocks[block, default: [UInt64](repeating: 0, count: Self.wordsPerBlock)].withUnsafeMutableBufferPointer { words in
            if words[bit >> 6] & mask == 0 {
                words[bit >> 6] |= mask
                added = true
            }
        }
        if added {
            count += 1
            end = max(end, seq + 1)
        }
        return added
    }

    func contains(_ seq: Int64) -> Bool {
        guard seq >= 0, let words = blocks[seq >> Self.blockShift] else { return false }
        let bit = Int(seq & Int64((1 << Self.blockShift) - 1))
        return words[bit >> 6] & (UInt64(1) << UInt64(bit & 63)) != 0
    }

    /// Members at or above `seq`.
    func count(from seq: Int64) -> Int {
        guard seq < end else { return 0 }
        let first = max(seq, 0)
        let firstBlock = first >> Self.blockShift
        var total = 0
        for (block, words) in blocks where block >= firstBlock {
            for (w, word) in words.enumerated() {
                let base = block << Self.blockShift + Int64(w * 64)
                if base + 64 <= first { continue }
                let skip = base >= first ? 0 : UInt64(first - base)
                total += (word >> skip).nonzeroBitCount
            }
        }
        return total
    }

    /// Members, in order.
    var sorted: [Int64] {
        var out: [Int64] = []
        out.reserveCapacity(count)
        for block in blocks.keys.sorted() {
            let words = blocks[block]!
            for (w, word) in words.enumerated() where word != 0 {
                var bits = word
                while bits != 0 {
                    out.append(block << Self.blockShift + Int64(w * 64 + bits.trailingZeroBitCount))
                    bits &= bits - 1
                }
            }
        }
        return out
    }

    /// The words of block `index` (slots `index << 16` up), bit `b` of word `w` standing for
    /// slot `index << 16 + w * 64 + b`; nil when no member falls in the block.
    func words(ofBlock index: Int64) -> [UInt64]? { blocks[index] }

    /// Adds every member of `range` (non-negative), a word at a time.
    mutating func insert(contentsOf range: ClosedRange<Int64>) {
        var seq = max(range.lowerBound, 0)
        while seq <= range.upperBound {
            let block = seq >> Self.blockShift
            let inBlock = Int(seq & (Self.slotsPerBlock - 1))
            let bit = inBlock & 63
            let take = Int(min(Int64(64 - bit), range.upperBound - seq + 1))
            let mask = (take == 64 ? ~UInt64(0) : (UInt64(1) << UInt64(take)) - 1) << UInt64(bit)
            var added = 0
            blocks[block, default: [UInt64](repeating: 0, count: Self.wordsPerBlock)].withUnsafeMutableBufferPointer { words in
                added = (mask & ~words[inBlock >> 6]).nonzeroBitCount
                words[inBlock >> 6] |= mask
            }
            count += added
            seq += Int64(take)
            if added > 0 { end = max(end, seq) }
        }
    }
}
