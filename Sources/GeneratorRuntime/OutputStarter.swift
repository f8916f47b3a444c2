import BlockingWork

/// Starts outputs on a thread of their own: `start` blocks (connecting to brokers, asking an
/// ingester's health), which must not hold one of the few threads that run Swift tasks.
enum OutputStarter {
    /// The first output's failure, nil when all started.
    static func start(_ outputs: [any RecordOutput]) async -> OutputError? {
        let box = UncheckedBox(outputs)
        return await DedicatedThread.run(named: "netchaos-output-start") { () -> OutputError? in
            for output in box.value {
                do throws(OutputError) {
                    try output.start()
                } catch {
                    return error
                }
            }
            return nil
        }
    }
}

/// Hands non-Sendable outputs to the starting thread; the caller waits for it, so they are never
/// used from two threads at once.
///
/// Sendable: confined. `value` is a `let`, used only by the netchaos-output-start thread while the caller
/// awaits the continuation that thread resumes after its last use.
private struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
