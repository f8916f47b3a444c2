import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Lets any number of threads use a client at once and one closer wait until they are out: after
/// ``close()`` begins, ``enter()`` fails, and ``close()`` returns once every call that entered has
/// left. Calls that wait (for room in a full queue) watch ``isClosing`` and give up.
final class UseGate: Sendable {
    /// The users inside, with ``closing`` set once closing began.
    private let state = Atomic<Int>(0)
    private static let closing = 1 << 62

    /// Whether closing began.
    var isClosing: Bool { state.load(ordering: .acquiring) & Self.closing != 0 }

    /// Enters; false once closing began (then the caller does not touch the client).
    func enter() -> Bool {
        let after = state.add(1, ordering: .acquiringAndReleasing).newValue
        guard after & Self.closing == 0 else {
            state.subtract(1, ordering: .releasing)
            return false
        }
        return true
    }

    func leave() { state.subtract(1, ordering: .releasing) }

    /// Begins closing and waits until every user has left; false if closing had begun already
    /// (the first closer does the rest).
    func close() -> Bool {
        let before = state.bitwiseOr(Self.closing, ordering: .acquiringAndReleasing).oldValue
        guard before & Self.closing == 0 else { return false }
        // Users leave within one poll slice (1 ms) of seeing `isClosing`, or when their call ends.
        while state.load(ordering: .acquiring) & ~Self.closing != 0 { usleep(200) }
        return true
    }
}
