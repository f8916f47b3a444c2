import Synchronization

/// A flag that any thread may raise once and every loop polls.
final class StopSignal: Sendable {
    private let flag = Atomic<Bool>(false)

    var isRaised: Bool { flag.load(ordering: .relaxed) }

    func raise() { flag.store(true, ordering: .relaxed) }
}
