import NIOCore

/// Closes a connection after an error response without losing that response: the output side
/// closes at once (the client reads the response, then the end), the input is left to drain for
/// a moment so that bytes the client is still sending do not make the kernel reset the
/// connection (which would drop the unread response), then the connection closes.
enum LingeringClose {
    static let linger: TimeAmount = .seconds(2)

    static func close(_ context: ChannelHandlerContext) {
        let closed = context.eventLoop.makePromise(of: Void.self)
        context.close(mode: .output, promise: closed)
        closed.futureResult.assumeIsolated().whenFailure { _ in context.close(promise: nil) }
        context.eventLoop.assumeIsolated().scheduleTask(in: linger) { context.close(promise: nil) }
    }
}
