import NIOCore

/// Commands written to a connection with the promises of their replies, in order.
struct RedisRequest: Sendable {
    var bytes: ByteBuffer
    var promises: [EventLoopPromise<RESPValue>]
}

/// Matches replies to commands: Redis answers in the order it was asked, so each reply completes
/// the oldest promise. Anything that breaks that order (bytes that are not RESP, a reply nobody
/// asked for, the connection going away) fails every command in flight and closes the channel.
final class RedisCommandHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = RedisRequest
    typealias OutboundOut = ByteBuffer

    private var parser = RESPParser()
    private var buffer: ByteBuffer?
    private var pending = CircularBuffer<EventLoopPromise<RESPValue>>(initialCapacity: 64)

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        pending.append(contentsOf: request.promises)
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
            while var readable = buffer, readable.readableBytes > 0, let value = try parser.parse(&readable) {
                buffer = readable
                guard let promise = pending.popFirst() else {
                    fail(context, RedisError(.protocolError, "a reply arrived that no command asked for"))
                    return
                }
                promise.succeed(value)
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
        while let promise = pending.popFirst() { promise.fail(error) }
    }
}
