import Foundation
import GeneratorRuntime
import RecordQueue
import ServiceLifecycle
import Synchronization
import TelemetrySink

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

/// A generator that starts once `up`'s server listens (it posts to it).
struct AfterListening: Service {
    let port: ListeningPort
    let make: @Sendable (Int) -> GeneratorService

    func run() async throws {
        let port = await cancelWhenGracefulShutdown { await self.port.wait() }
        guard let port = port ?? nil else { return }
        try await make(port).run()
    }
}

/// The sink of `up`; closes the in-process queue when it ends for any reason, so a generator
/// waiting on a full queue is not left waiting.
struct SinkThenClose: Service {
    let sink: SinkService
    let queue: RecordQueue?
    let stopping: StopLatch

    func run() async throws {
        defer { queue?.close() }
        try await sink.run()
        // Stopped by a signal, the sink finishes as soon as the generator has (it stores what was
        // queued): the group shuts services down one by one and counts one that returns before
        // its turn as a failure, so wait for the turn.
        if stopping.isSet { try? await gracefulShutdown() }
    }
}

/// Set once `up` is told to stop (SIGINT, SIGTERM).
final class StopLatch: Sendable {
    private let flag = Atomic<Bool>(false)
    var isSet: Bool { flag.load(ordering: .acquiring) }
    func set() { flag.store(true, ordering: .releasing) }
}

/// The flow generator of `up`; once it has finished, the sink finishes too when it has stored
/// everything up to the end (with Kafka; the in-process queue tells the sink by closing).
struct ThenFinishSink: Service {
    let generator: GeneratorService
    let sink: SinkService
    let stopping: StopLatch

    func run() async throws {
        do {
            try await withGracefulShutdownHandler {
                try await generator.run()
            } onGracefulShutdown: {
                stopping.set()
            }
        } catch {
            sink.finishAtEnd()
            throw error
        }
        sink.finishAtEnd()
        // A generator that ran to its count finishes while the sink still stores; the sink's end
        // shuts the group down from the last service to the first, and a service that returns
        // before its turn counts as a failure (the switch generator may still be posting when
        // this one ends). So wait for the turn; a cancelled group ends the wait too.
        try? await gracefulShutdown()
    }
}
