import Synchronization

/// Set once `up` is told to stop (SIGINT, SIGTERM).
final class StopLatch: Sendable {
    private let flag = Atomic<Bool>(false)
    var isSet: Bool { flag.load(ordering: .acquiring) }
    func set() { flag.store(true, ordering: .releasing) }
}
