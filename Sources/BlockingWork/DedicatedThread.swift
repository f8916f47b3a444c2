import Foundation

/// The one bridge from a thread to async code for work that holds a thread for long (a poll loop,
/// the generator's writer, connecting to brokers): `body` runs on a new thread of its own, named
/// for `top -H` and debuggers, and the caller resumes with its result when it returns.
public enum DedicatedThread {
    public static func run<T: Sendable>(named name: String, _ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
            start(named: name) { continuation.resume(returning: body()) }
        }
    }

    /// Starts `body` on a new thread named `name` and returns at once (for threads whose end the
    /// caller learns otherwise: the generator's workers, a client's poller).
    public static func start(named name: String, _ body: @escaping @Sendable () -> Void) {
        Thread {
            nameCurrentThread(name)
            body()
        }.start()
    }

    /// `body`'s result or typed error, from a thread of its own.
    public static func run<T: Sendable, E: Error>(named name: String, throwing body: @escaping @Sendable () throws(E) -> T) async throws(E) -> T {
        let result: Result<T, E> = await run(named: name) { Result { () throws(E) in try body() } }
        return try result.get()
    }

    /// Names the calling thread as the kernel shows it (its first 15 bytes; Linux keeps no more).
    /// Foundation's `Thread.name` does not reach the kernel on Linux, so a thread names itself by
    /// writing its `comm`; where that file is missing the name is left as it was.
    public static func nameCurrentThread(_ name: String) {
        guard let file = fopen("/proc/thread-self/comm", "w") else { return }
        fputs(String(decoding: name.utf8.prefix(15), as: UTF8.self), file)
        fclose(file)
    }
}
