import Dispatch
import Foundation
import Synchronization
import Testing

@testable import BlockingWork

/// Blocking work runs on threads of its own: more bodies blocked at once than Swift has
/// cooperative threads all finish, because none of them holds one.
@Suite struct BlockingWorkTests {
    /// Bodies that each wait until all `count` have started: on a shared pool smaller than
    /// `count` they would wait for ever (the wait is bounded so a failure reports, not hangs).
    static func barrier(_ count: Int, seconds: Int = 120) -> @Sendable () -> Bool {
        let arrived = Atomic<Int>(0)
        let everyone = DispatchSemaphore(value: 0)
        return {
            if arrived.add(1, ordering: .acquiringAndReleasing).newValue == count {
                for _ in 0..<count { everyone.signal() }
            }
            return everyone.wait(timeout: .now() + .seconds(seconds)) == .success
        }
    }

    @Test("a dedicated thread runs under its name, returns its result and its typed error")
    func dedicatedThread() async throws {
        // The kernel's name for the thread (what `top -H` shows): the first 15 bytes.
        let name = await DedicatedThread.run(named: "netchaos-test-thread") { try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8) }
        #expect(name == "netchaos-test-t\n")
        struct Refused: Error, Equatable {}
        await #expect(throws: Refused.self) {
            try await DedicatedThread.run(named: "netchaos-test-throw") { () throws(Refused) -> Int in throw Refused() }
        }
        let value = try await DedicatedThread.run(named: "netchaos-test-value") { () throws(Refused) -> Int in 42 }
        #expect(value == 42)
    }

    @Test("more dedicated threads blocked at once than there are cores all finish")
    func manyBlockedThreads() async {
        let count = ProcessInfo.processInfo.activeProcessorCount * 2 + 2
        let body = Self.barrier(count)
        let results = await withTaskGroup(of: Bool.self) { group in
            for i in 0..<count { group.addTask { await DedicatedThread.run(named: "netchaos-test-\(i)", body) } }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results == Array(repeating: true, count: count))
    }

    @Test("a concurrent executor runs blocked bodies side by side; a serial one runs them in order")
    func executors() async throws {
        let count = ProcessInfo.processInfo.activeProcessorCount * 2 + 2
        let body = Self.barrier(count)
        let concurrent = BlockingExecutor(label: "netchaos-test-concurrent", concurrent: true)
        let results = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<count { group.addTask { await concurrent.run(body) } }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results == Array(repeating: true, count: count))

        // On a serial executor the second body starts only after the first gave up waiting for it.
        let serial = BlockingExecutor(label: "netchaos-test-serial")
        let pair = Self.barrier(2, seconds: 1)
        let first = Task { await serial.run(pair) }
        let second = Task { await serial.run(pair) }
        #expect(Set([await first.value, await second.value]) == [false, true])
        struct Full: Error {}
        await #expect(throws: Full.self) { try await serial.run(throwing: { () throws(Full) -> Int in throw Full() }) }
    }
}
