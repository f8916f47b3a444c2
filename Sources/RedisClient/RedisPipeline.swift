import NIOCore

/// One connection to write batches on, in order: each ``write(_:)`` goes out at once and its
/// result comes later, so the caller encodes the next batch while Redis runs the previous ones.
/// Every batch has the command timeout from when it is written.
public struct RedisPipeline: Sendable {
    let client: RedisClient
    let connection: RedisConnection

    /// Writes `batch` now; ``RedisPendingBatch/result()`` waits for its replies.
    public func write(_ batch: RESPBatch) -> RedisPendingBatch {
        RedisPendingBatch(client: client, connection: connection, future: connection.send(batch))
    }
}

/// The replies of a batch written on a ``RedisPipeline``, to come.
public struct RedisPendingBatch: Sendable {
    let client: RedisClient
    let connection: RedisConnection
    let future: EventLoopFuture<RESPBatchResult>

    public func result() async throws(RedisError) -> RESPBatchResult {
        do {
            return try await future.get()
        } catch {
            let failure = error as? RedisError ?? RedisError(.connectionLost, "\(error)")
            if failure.isRetriable { client.forget(connection) }
            throw failure
        }
    }
}
