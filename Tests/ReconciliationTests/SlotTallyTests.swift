import PropertyBased
import Testing

@testable import Reconciliation

/// ``SlotTally`` counts 64 slots at a time; these tests hold it to a count slot by slot, over
/// random sets that cross word and block boundaries, runs longer than a word, and manifests'
/// ends inside a word.
@Suite struct SlotTallyTests {
    /// The tally's answer, the slow way.
    struct Naive: Equatable {
        var missing = 0
        var refusable = 0
        var lost = 0
        var dropsFound = 0
        var ranges: [ClosedRange<Int64>] = []

        init(expected: Int64, present: Set<Int64>, deadLettered: Set<Int64>, drops: Set<Int64>, malformed: Set<Int64>?, limit: Int) {
            var seq: Int64 = 0
            var all: [ClosedRange<Int64>] = []
            while seq < expected {
                let seen = present.contains(seq) || deadLettered.contains(seq)
                if drops.contains(seq) {
                    if seen { dropsFound += 1 }
                } else if !seen {
                    missing += 1
                    if malformed?.contains(seq) ?? true { refusable += 1 } else { lost += 1 }
                    if let last = all.last, last.upperBound + 1 == seq {
                        all[all.count - 1] = last.lowerBound...seq
                    } else {
                        all.append(seq...seq)
                    }
                }
                seq += 1
            }
            ranges = Array(all.prefix(limit))
        }
    }

    static func set(_ members: Set<Int64>) -> SlotSet {
        var set = SlotSet()
        for seq in members { set.insert(seq) }
        return set
    }

    /// Random members below `bound`: single slots and runs (some longer than a word).
    static func members(_ seeds: [Int], bound: Int64) -> Set<Int64> {
        var members: Set<Int64> = []
        for seed in seeds {
            let start = Int64(seed) &* 7_919 % bound
            let length = seed % 5 == 0 ? Int64(seed % 300) : 1
            for seq in start..<min(start + length, bound) { members.insert(seq) }
        }
        return members
    }

    @Test func theTallyCountsWhatASlotBySlotCountDoes() async {
        await propertyCheck(
            count: 60,
            input: Gen.int(in: 1...100_000), Gen.int(in: 0...1_000_000).array(of: 0...60), Gen.int(in: 0...1_000_000).array(of: 0...40),
            Gen.int(in: 0...1_000_000).array(of: 0...40), Gen.int(in: 0...1_000_000).array(of: 0...40)
        ) { slots, presentSeeds, deadSeeds, dropSeeds, malformedSeeds in
            let expected = Int64(slots)
            // Mostly present, so that what is missing is a pattern of gaps.
            let absent = Self.members(presentSeeds, bound: expected + 100)
            let present = Set((0..<expected + 70).filter { !absent.contains($0) })
            let dead = Self.members(deadSeeds, bound: expected)
            let drops = Self.members(dropSeeds, bound: expected)
            let malformed = Self.members(malformedSeeds, bound: expected)
            for withManifest in [true, false] {
                for limit in [1, 3, 50] {
                    let tally = SlotTally(
                        expected: expected, present: Self.set(present), deadLettered: Self.set(dead), drops: Self.set(drops),
                        malformed: withManifest ? Self.set(malformed) : nil, rangeLimit: limit
                    )
                    let naive = Naive(expected: expected, present: present, deadLettered: dead, drops: drops, malformed: withManifest ? malformed : nil, limit: limit)
                    #expect(tally.missing == naive.missing)
                    #expect(tally.refusable == naive.refusable)
                    #expect(tally.lost == naive.lost)
                    #expect(tally.dropsFound == naive.dropsFound)
                    #expect(tally.missingRanges == naive.ranges, "limit \(limit)")
                }
            }
        }
    }

    @Test("runs across words and blocks, and a manifest ending inside a word")
    func boundaries() {
        var present = SlotSet()
        for seq in Int64(0)..<200_000 where !(63...130).contains(seq) && !(65_530...65_545).contains(seq) && seq != 199_990 {
            present.insert(seq)
        }
        let tally = SlotTally(expected: 199_995, present: present, deadLettered: SlotSet(), drops: SlotSet(), malformed: nil)
        #expect(tally.missingRanges == [63...130, 65_530...65_545, 199_990...199_990])
        #expect(tally.missing == 68 + 16 + 1)
        let cut = SlotTally(expected: 100, present: present, deadLettered: SlotSet(), drops: SlotSet(), malformed: SlotSet())
        #expect(cut.missingRanges == [63...99] && cut.lost == 37 && cut.refusable == 0)
        let none = SlotTally(expected: 0, present: present, deadLettered: SlotSet(), drops: SlotSet(), malformed: nil)
        #expect(none.missing == 0 && none.missingRanges.isEmpty)
    }

    @Test("a range inserted a word at a time equals the same slots inserted one by one")
    func insertRange() {
        for range: ClosedRange<Int64> in [0...0, 5...70, 60...64, 63...63, 0...63, 64...127, 65_500...131_100, 10...9_000] {
            var words = SlotSet()
            words.insert(7)
            words.insert(contentsOf: range)
            var slots = SlotSet()
            slots.insert(7)
            for seq in range { slots.insert(seq) }
            #expect(words.sorted == slots.sorted, "\(range)")
            #expect(words.count == slots.count && words.end == slots.end, "\(range)")
        }
    }
}
