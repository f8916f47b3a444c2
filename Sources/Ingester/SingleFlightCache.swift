import Synchronization

/// One value, loaded at most once per token however many callers ask at the same time: callers
/// with the current token share the load in flight (or its result); a new token starts a new
/// load. A failed load is forgotten, so the next caller tries again.
final class SingleFlightCache<Value: Sendable>: Sendable {
    private let entry = Mutex<(token: String, task: Task<Value, any Error>)?>(nil)

    func value(token: String, load: @escaping @Sendable () async throws -> Value) async throws -> Value {
        let task = entry.withLock { entry in
            if let entry, entry.token == token { return entry.task }
            let task = Task { try await load() }
            entry = (token, task)
            return task
        }
        do {
            return try await task.value
        } catch {
            entry.withLock { if $0?.task == task { $0 = nil } }
            throw error
        }
    }
}
