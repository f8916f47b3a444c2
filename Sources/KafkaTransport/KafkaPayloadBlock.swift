import Synchronization

/// One block of memory that queued messages point into, so librdkafka need not copy each
/// payload: the producer's caller copies a whole chunk of records here at once, produces
/// messages pointing into it, and calls ``seal()``; the block frees itself when the last of its
/// messages has been delivered or has failed.
public final class KafkaPayloadBlock: @unchecked Sendable {
    public let bytes: UnsafeMutableRawPointer
    public let count: Int
    /// Messages in flight plus one for the producing caller until ``seal()``.
    private let holds = Atomic<Int>(1)

    /// A block holding a copy of `source`, kept alive (retained) until its holds reach zero.
    public static func copying(_ source: UnsafeRawBufferPointer) -> KafkaPayloadBlock {
        let block = KafkaPayloadBlock(copying: source)
        _ = Unmanaged.passRetained(block)
        return block
    }

    private init(copying source: UnsafeRawBufferPointer) {
        count = source.count
        bytes = .allocate(byteCount: max(count, 1), alignment: 16)
        if count > 0 { bytes.copyMemory(from: source.baseAddress!, byteCount: count) }
    }

    deinit { bytes.deallocate() }

    /// The bytes `range` of the block, for a message's value.
    public func slice(_ range: Range<Int>) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: bytes + range.lowerBound, count: range.count)
    }

    /// The caller is done adding messages; the block goes when its messages have.
    public func seal() { release(1) }

    func hold(_ messages: Int) { holds.add(messages, ordering: .relaxed) }

    func release(_ messages: Int) {
        if holds.subtract(messages, ordering: .acquiringAndReleasing).newValue == 0 {
            Unmanaged.passUnretained(self).release()
        }
    }

    /// Called from the delivery callback with a message's opaque pointer: one message is done.
    static func messageDone(_ opaque: UnsafeMutableRawPointer) {
        let unmanaged = Unmanaged<KafkaPayloadBlock>.fromOpaque(opaque)
        let last = unmanaged._withUnsafeGuaranteedRef { $0.holds.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 }
        if last { unmanaged.release() }
    }

    var opaque: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }
}
