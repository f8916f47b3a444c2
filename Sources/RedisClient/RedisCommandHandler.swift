import NIOCore

/// Commands written to a connection with what waits for their replies, in order: a promise per
/// reply, or one promise for a batch whose replies are counted (``RESPBatch``).
struct RedisRequest: Sendable {
    enum Replies: Sendable {
        case each([EventLoopPromise<RESPValue>])
        case counted(Int, EventLoopPromise<RESPBatchResult>)
    }

    var bytes: ByteBuffer
    var replies: Replies
}

/// Matches replies to commands: Redis answers in the order it was asked, so each reply completes
/// the oldest command in flight. Anything that breaks that order (bytes that are not RESP, a reply
/// nobody asked for, the connection going away) fails every command in flight and closes the channel.
final class RedisCommandHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = RedisRequest
    typealias OutboundOut = ByteBuffer

    private enum Pending {
        case value(EventLoopPromise<RESPValue>)
        case counted(remaining: Int, result: RESPBatchResult, promise: EventLoopPromise<RESPBatchResult>)
    }

    private var parser = RESPParser()
    private var buffer: ByteBuffer?
    private var pending = CircularBuffer<Pending>(initialCapacity: 64)

    /// Commands (or batches) written and not answered yet.
    var inFlight: Int { pending.count }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        switch request.replies {
        case .each(let promises):
            for reply in promises { pending.append(.value(reply)) }
        case .counted(let count, let batch):
            pending.append(.counted(remaining: count, result: RESPBatchResult(), promise: batch))
        }
        context.write(wrapOutboundOut(request.bytes), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        if buffer == nil {
            buffer = incoming
        } else {
            buffer!.writeBuffer(&incoming)
        }
        do {
            replies: while var readable = buffer, readable.readableBytes > 0 {
                guard let first = pending.first else {
                    fail(context, RedisError(.protocolError, "a reply arrived that no command asked for"))
                    return
                }
                switch first {
                case .value(let promise):
                    guard let value = try parser.parse(&readable) else { break replies }
                    buffer = readable
                    pending.removeFirst()
                    promise.succeed(value)
                case .counted(var remaining, var result, let promise):
                    // As many of the batch's replies as have arrived, in locals.
                    while remaining > 0, let reply = try RESPParser.skip(&readable) {
                        result.replies += 1
                        if let message = reply {
                            result.errors += 1
                            result.firstError = result.firstError ?? message
                        }
                        remaining -= 1
                    }
                    buffer = readable
                    if remaining == 0 {
                        pending.removeFirst()
                        promise.succeed(result)
                    } else {
                        pending[pending.startIndex] = .counted(remaining: remaining, result: result, promise: promise)
                        break replies
                    }
                }
            }
            if let readable = buffer, readable.readableBytes == 0 { buffer = nil } else { buffer?.discardReadBytes() }
        } catch {
            fail(context, RedisError(.protocolError, "the server sent bytes that are not RESP (\(error))"))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        failPending(RedisError(.connectionLost, "the connection closed with commands in flight"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(context, RedisError(.connectionLost, "the connection failed: \(error)"))
    }

    private func fail(_ context: ChannelHandlerContext, _ error: RedisError) {
        failPending(error)
        context.close(promise: nil)
    }

    private func failPending(_ error: RedisError) {
        while let entry = pending.popFirst() {
            switch entry {
            case .value(let promise): promise.fail(error)
            case .counted(_, _, let promise): promise.fail(error)
            }
        }
    }
}
