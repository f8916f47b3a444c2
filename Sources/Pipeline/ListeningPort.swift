import Synchronization

/// The port `up` listens on, known once the server is bound.
final class ListeningPort: Sendable {
    private struct State {
        var port: Int?
        var waiters: [Int: CheckedContinuation<Int?, Never>] = [:]
        var nextWaiter = 0
    }

    private let state = Mutex(State())

    func set(_ port: Int) {
        let waiters = state.withLock { state in
            state.port = port
            defer { state.waiters = [:] }
            return state.waiters.values
        }
        for waiter in waiters { waiter.resume(returning: port) }
    }

    /// Waits for the port; nil when the task is cancelled first (the server never started).
    func wait() async -> Int? {
        let id = state.withLock { state in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let known = state.withLock { state -> Int?? in
                    if let port = state.port { return .some(port) }
                    if Task.isCancelled { return .some(nil) }
                    state.waiters[id] = continuation
                    return .none
                }
                if let known { continuation.resume(returning: known) }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume(returning: nil)
        }
    }
}
