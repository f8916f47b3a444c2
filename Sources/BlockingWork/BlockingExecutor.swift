import Dispatch

/// Runs blocking calls (offset commits, flushes, file I/O) on threads of their own, so they never
/// hold one of Swift's few cooperative threads: one at a time in order (serial), or as many at
/// once as are asked (concurrent).
public final class BlockingExecutor: Sendable {
    private let queue: DispatchQueue

    public init(label: String, concurrent: Bool = false) {
        queue = concurrent ? DispatchQueue(label: label, attributes: .concurrent) : DispatchQueue(label: label)
    }

    /// `body`'s result, computed on the executor's threads.
    public func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: body()) }
        }
    }

    /// `body`'s result or typed error, computed on the executor's threads.
    public func run<T: Sendable, E: Error>(throwing body: @escaping @Sendable () throws(E) -> T) async throws(E) -> T {
        let result: Result<T, E> = await run { Result { () throws(E) in try body() } }
        return try result.get()
    }
}
