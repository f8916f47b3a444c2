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
        var setup: [RESPCommand] = []
        if let password = configuration.password { setup.append(RESPCommand("AUTH", Array(password.utf8))) }
        if configuration.database != 0 { setup.append(RESPCommand("SELECT", Array(String(configuration.database).utf8))) }
        if !setup.isEmpty {
            do throws(RedisError) {
                for reply in try await connection.send(setup) {
                    if case .error(let message) = reply { throw RedisError(.server, message) }
                }
            } catch {
                connection.close()
                throw error
            }
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
        channel.writeAndFlush(RedisRequest(bytes: bytes, promises: promises)).whenFailure { error in
            for promise in promises { promise.fail(RedisError(.connectionLost, "could not write to Redis: \(error)")) }
        }
        do {
            let replies = try await all.get()
            timeout.cancel()
            return replies
        } catch let error as RedisError {
            timeout.cancel()
            throw error
        } catch {
            timeout.cancel()
            throw RedisError(.connectionLost, "\(error)")
        }
    }

    func close() {
        channel.close(promise: nil)
    }
}
