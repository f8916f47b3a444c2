/// The flights waiting to send, by the time of their next packet: a binary min-heap (ties go to
/// the flight added first, so the same records always give the same capture).
struct PcapSchedule {
    struct Entry {
        var timeUs: Int64
        var order: UInt64
        var slot: Int32

        @inline(__always)
        static func < (a: Entry, b: Entry) -> Bool { a.timeUs < b.timeUs || (a.timeUs == b.timeUs && a.order < b.order) }
    }

    private var heap: [Entry] = []

    var count: Int { heap.count }
    var top: Entry? { heap.first }

    mutating func push(_ entry: Entry) {
        heap.append(entry)
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard heap[i] < heap[parent] else { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    /// Gives the first entry a new time and puts it where it belongs.
    mutating func retimeTop(_ timeUs: Int64) {
        heap[0].timeUs = timeUs
        siftDown(0)
    }

    mutating func popTop() {
        let last = heap.removeLast()
        guard !heap.isEmpty else { return }
        heap[0] = last
        siftDown(0)
    }

    private mutating func siftDown(_ start: Int) {
        var i = start
        let n = heap.count
        while true {
            let left = 2 * i + 1
            guard left < n else { return }
            var smallest = left
            if left + 1 < n && heap[left + 1] < heap[left] { smallest = left + 1 }
            guard heap[smallest] < heap[i] else { return }
            heap.swapAt(i, smallest)
            i = smallest
        }
    }
}
