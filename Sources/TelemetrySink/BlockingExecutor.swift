import Dispatch

/// Runs blocking calls (offset commits, dead-letter flushes) one at a time on a thread of their
/// own, so they never hold up Swift's cooperative threads.
final class BlockingExecutor: Sendable {
    private let queue: DispatchQueue

    init(label: String) {
        queue = DispatchQueue(label: label)
    }

    func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: body()) }
        }
    }
}
