import Foundation
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// A Redis client over a few pipelined connections (``RedisConfiguration/connections``), used
/// round robin. A connection that breaks is made again on the next command, after a backoff that
/// doubles while Redis stays away: meanwhile commands fail at once with a retriable error
/// (`unavailable`) instead of piling up behind connection attempts, and service resumes by itself
/// when Redis is back.
public final class RedisClient: Sendable {
    public let configuration: RedisConfiguration
    private let group: any EventLoopGroup
    private let logger: Logger
    private let slots: Mutex<[Slot]>
    private let slotCount: Int
    private let next = Atomic<Int>(0)
    private let closed = Atomic<Bool>(false)

    private struct Slot: Sendable {
        var connection: RedisConnection?
        /// A connection attempt under way, which other callers wait for.
        var connecting: EventLoopFuture<RedisConnection>?
        var failures = 0
        var retryAt: ContinuousClock.Instant?
    }

    public init(configuration: RedisConfiguration, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, logger: Logger) {
        self.configuration = configuration
        self.group = group
        self.logger = logger
        slotCount = max(configuration.connections, 1)
        slots = Mutex(Array(repeating: Slot(), count: slotCount))
    }

    deinit { close() }

    /// Closes every connection; later commands fail with `closed`.
    public func close() {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        slots.withLock { states in
            for index in states.indices {
                states[index].connection?.close()
                states[index].connection = nil
            }
        }
    }

    // MARK: - Sending

    /// Sends `commands` pipelined on one connection; their replies in order. A reply that is a
    /// server error stays an `.error` value (see ``execute(_:)`` to throw it).
    public func send(_ commands: [RESPCommand]) async throws(RedisError) -> [RESPValue] {
        let slot = next.wrappingAdd(1, ordering: .relaxed).oldValue % slotCount
        let connection = try await connection(slot: slot)
        do throws(RedisError) {
            return try await connection.send(commands)
        } catch {
            if error.isRetriable { forget(connection) }
            guard error.unsent else { throw error }
        }
        // The connection had closed under us (Redis restarted, and its end of the connection was
        // not seen yet): the commands never left, so they go once more on a new connection.
        let fresh = try await self.connection(slot: slot)
        do throws(RedisError) {
            return try await fresh.send(commands)
        } catch {
            if error.isRetriable { forget(fresh) }
            throw error
        }
    }

    /// A connection to write batches on, in order (see ``RedisPipeline``).
    public func pipeline() async throws(RedisError) -> RedisPipeline {
        RedisPipeline(client: self, connection: try await connection(slot: next.wrappingAdd(1, ordering: .relaxed).oldValue % slotCount))
    }

    /// One command; a server error is thrown.
    @discardableResult
    public func execute(_ command: RESPCommand) async throws(RedisError) -> RESPValue {
        let reply = try await send([command])[0]
        if case .error(let message) = reply { throw RedisError(.server, "\(command.name): \(message)") }
        return reply
    }

    private func connection(slot index: Int) async throws(RedisError) -> RedisConnection {
        guard !closed.load(ordering: .acquiring) else { throw RedisError(.closed, "the client is closed") }
        enum Step { case ready(RedisConnection), wait(EventLoopFuture<RedisConnection>), fail(RedisError), connect(EventLoopPromise<RedisConnection>) }
        let now = ContinuousClock.now
        let step: Step = slots.withLock { states in
            var state = states[index]
            defer { states[index] = state }
            if let connection = state.connection, connection.isActive { return .ready(connection) }
            state.connection = nil
            if let connecting = state.connecting { return .wait(connecting) }
            if let retryAt = state.retryAt, now < retryAt {
                return .fail(RedisError(.unavailable, "Redis at \(configuration.host):\(configuration.port) is unavailable (\(state.failures) failed attempts; retrying shortly)"))
            }
            let promise = group.next().makePromise(of: RedisConnection.self)
            state.connecting = promise.futureResult
            return .connect(promise)
        }
        switch step {
        case .ready(let connection):
            return connection
        case .fail(let error):
            throw error
        case .wait(let future):
            do { return try await future.get() } catch { throw error as? RedisError ?? RedisError(.unavailable, "\(error)") }
        case .connect(let promise):
            do throws(RedisError) {
                let connection = try await RedisConnection.connect(configuration, group: group)
                let recovered = slots.withLock { states in
                    defer {
                        states[index].connection = connection
                        states[index].connecting = nil
                        states[index].failures = 0
                        // Redis is back: the other connections need not wait out their backoff.
                        for other in states.indices { states[other].retryAt = nil }
                    }
                    return states[index].failures > 0
                }
                if recovered { logger.info("redis connection restored", metadata: ["redis.server": "\(configuration.host):\(configuration.port)"]) }
                promise.succeed(connection)
                return connection
            } catch {
                let failures = slots.withLock { states in
                    states[index].connecting = nil
                    states[index].failures += 1
                    let backoff = min(configuration.initialBackoff * pow(2, Double(states[index].failures - 1)), configuration.maximumBackoff)
                    states[index].retryAt = .now + .milliseconds(Int64(backoff * 1000))
                    return states[index].failures
                }
                if failures == 1 {
                    logger.warning(
                        error.code == .refused ? "redis refused the connection" : "redis unavailable",
                        metadata: ["redis.server": "\(configuration.host):\(configuration.port)", "redis.error": "\(error.message)"]
                    )
                }
                promise.fail(error)
                throw error
            }
        }
    }

    /// Drops a connection that failed, so the next command makes a new one.
    func forget(_ connection: RedisConnection) {
        connection.close()
        slots.withLock { states in
            for index in states.indices where states[index].connection === connection {
                states[index].connection = nil
                states[index].failures = max(states[index].failures, 1)
            }
        }
    }
}
