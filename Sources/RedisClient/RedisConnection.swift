import NIOCore
import NIOPosix

/// One connection to Redis: every command sent is pipelined (written at once, replies matched
/// in order). A command without an answer within the timeout closes the connection, since its
/// late reply would be taken for the next command's.
final class RedisConnection: Sendable {
    let channel: any Channel
    let commandTimeout: TimeAmount

    private init(channel: any Channel, commandTimeout: TimeAmount) {
        self.channel = channel
        self.commandTimeout = commandTimeout
    }

    /// Connects, authenticates and selects the database.
    static func connect(_ configuration: RedisConfiguration, group: any EventLoopGroup) async throws(RedisError) -> RedisConnection {
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(.milliseconds(Int64(configuration.connectTimeout * 1000)))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(RedisCommandHandler())
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: configuration.host, port: configuration.port).get()
        } catch {
            throw RedisError(.unavailable, "cannot connect to \(configuration.host):\(configuration.port): \(error)")
        }
        let connection = RedisConnection(channel: channel, commandTimeout: .milliseconds(Int64(configuration.commandTimeout * 1000)))
        // AUTH and SELECT as configured, then PING: a server that wants a password none was given
        // for says so now (NOAUTH) rather than on every command.
        var setup: [(command: RESPCommand, refusal: String)] = []
        if let password = configuration.password { setup.append((RESPCommand("AUTH", Array(password.utf8)), "Redis refused the password")) }
        if configuration.database != 0 {
            setup.append((RESPCommand("SELECT", Array(String(configuration.database).utf8)), "Redis refused database \(configuration.database)"))
        }
        setup.append((RESPCommand("PING"), "Redis requires a password"))
        do throws(RedisError) {
            let replies = try await connection.send(setup.map(\.command))
            for (reply, step) in zip(replies, setup) {
                guard case .error(let message) = reply else { continue }
                if step.command.name == "PING" && !message.hasPrefix("NOAUTH") {
                    // LOADING, MASTERDOWN, BUSY: the server is not ready yet.
                    throw RedisError(.unavailable, "Redis at \(configuration.host):\(configuration.port) is not ready: \(message)")
                }
                throw RedisError(.refused, "\(step.refusal): \(message)")
            }
        } catch {
            connection.close()
            throw error
        }
        return connection
    }

    var isActive: Bool { channel.isActive }

    /// Sends `commands` in one write; the replies in order (server errors are `.error` values).
    func send(_ commands: [RESPCommand]) async throws(RedisError) -> [RESPValue] {
        guard !commands.isEmpty else { return [] }
        let loop = channel.eventLoop
        var bytes = channel.allocator.buffer(capacity: 64 * commands.count)
        for command in commands { command.write(into: &bytes) }
        let promises = commands.map { _ in loop.makePromise(of: RESPValue.self) }
        let all = EventLoopFuture.whenAllSucceed(promises.map(\.futureResult), on: loop)
        let channel = channel
        let timeout = loop.scheduleTask(in: commandTimeout) {
            // The promises fail as the channel closes (connection lost); say why first.
            for promise in promises { promise.fail(RedisError(.timeout, "no answer within \(self.commandTimeout.nanoseconds / 1_000_000) ms")) }
            channel.close(promise: nil)
        }
        // Cancelled on the event loop as the last reply arrives, not when the waiting task next
        // runs: on a busy machine that can be long after, and the timer would close a connection
        // whose commands were all answered.
        all.whenComplete { _ in timeout.cancel() }
        channel.writeAndFlush(RedisRequest(bytes: bytes, replies: .each(promises))).whenFailure { error in
            for promise in promises { promise.fail(RedisError(.connectionLost, "could not write to Redis: \(error)", unsent: true)) }
        }
        do {
            return try await all.get()
        } catch let error as RedisError {
            throw error
        } catch {
            throw RedisError(.connectionLost, "\(error)")
        }
    }

    /// Writes a batch at once; the future has its replies counted (a timeout closes the connection).
    func send(_ batch: RESPBatch) -> EventLoopFuture<RESPBatchResult> {
        let loop = channel.eventLoop
        let promise = loop.makePromise(of: RESPBatchResult.self)
        guard batch.count > 0 else {
            promise.succeed(RESPBatchResult())
            return promise.futureResult
        }
        let channel = channel
        let timeout = loop.scheduleTask(in: commandTimeout) {
            promise.fail(RedisError(.timeout, "no answer within \(self.commandTimeout.nanoseconds / 1_000_000) ms"))
            channel.close(promise: nil)
        }
        promise.futureResult.whenComplete { _ in timeout.cancel() }
        channel.writeAndFlush(RedisRequest(bytes: batch.bytes, replies: .counted(batch.count, promise))).whenFailure { error in
            promise.fail(RedisError(.connectionLost, "could not write to Redis: \(error)"))
        }
        return promise.futureResult
    }

    /// Commands (or batches) written on this connection and not answered yet.
    func unanswered() async throws -> Int {
        try await channel.eventLoop.submit { [channel] in
            try channel.pipeline.syncOperations.handler(type: RedisCommandHandler.self).inFlight
        }.get()
    }

    func close() {
        channel.close(promise: nil)
    }
}
