import Dispatch
import Logging
import NIOCore
import NIOPosix
import Synchronization
import TestSupport
import Testing
@testable import RedisClient

/// The command timeout counts from the write to the last reply, on the event loop: a task that is
/// slow to run again after its replies came (two busy cores) must not find its connection closed.
@Suite("Redis command timeout")
struct RedisTimeoutTests {
    @Test("answered commands whose waiting task runs again only after the timeout keep their connection")
    func lateWaiterKeepsTheConnection() async throws {
        let server = try RedisServer()
        // A timeout a busy machine's Redis still answers within (the test is that an answered
        // command's timer does not fire later, not how fast Redis is).
        let configuration = RedisConfiguration(host: "127.0.0.1", port: server.port, connectTimeout: 60, commandTimeout: 5)
        let group = MultiThreadedEventLoopGroup.singleton
        let connection = try await RedisConnection.connect(configuration, group: group)
        defer { connection.close() }

        // The task sending PING runs its first step (the write), then waits on an executor that
        // holds every later step until released: its replies arrive, but it cannot run.
        let executor = HeldExecutor()
        let sent = Task(executorPreference: executor) { try await connection.send([RESPCommand("PING")]) }
        #expect(await eventually { (try? await connection.unanswered()) == 0 }, "Redis answered the PING")
        // Past the timeout's deadline on the connection's own event loop (its tasks run in order of
        // deadline): had the timer not been cancelled with the reply, it has closed the channel by now.
        try await connection.channel.eventLoop.scheduleTask(in: .milliseconds(5_500)) {}.futureResult.get()
        executor.release()

        let replies = try await sent.value
        #expect(replies.first?.string == "PONG")
        #expect(connection.isActive, "the answered command's timer closed the connection")
        #expect(try await connection.send([RESPCommand("PING")]).first?.string == "PONG")
        withExtendedLifetime(server) {}
    }
}

/// Runs a task's first job at once and holds every later one until ``release()``.
final class HeldExecutor: TaskExecutor, Sendable {
    private struct State {
        var started = false
        var released = false
        var held: [UnownedJob] = []
    }

    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "held-executor")

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let runNow = state.withLock { state in
            if !state.started || state.released {
                state.started = true
                return true
            }
            state.held.append(job)
            return false
        }
        if runNow { queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) } }
    }

    func release() {
        let jobs = state.withLock { state in
            state.released = true
            defer { state.held = [] }
            return state.held
        }
        for job in jobs { queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) } }
    }
}
