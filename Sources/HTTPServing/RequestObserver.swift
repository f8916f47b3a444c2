import NIOCore
import NIOHTTP1

/// The decoded requests and their responses on one HTTP/1 connection: closes the connection
/// after the response to a request that did not ask to keep it (HTTP/1.0 without keep-alive,
/// `Connection: close`), saying so in the response; answers malformed HTTP with a JSON 400
/// (431 for headers too large, 414 for a request line too long) instead of an empty one; and
/// tells ``RequestLineGuard`` where the request cycle is, for its timers.
final class RequestObserver: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    let state: ConnectionState
    let lineGuard: RequestLineGuard
    /// Whether the request being answered lets the connection live on.
    private var keepAlive = true
    private var responseStarted = false
    /// A parse error came while a request was in progress: close once it is answered.
    private var closeAfterResponse = false
    private var closing = false

    init(state: ConnectionState, lineGuard: RequestLineGuard) {
        self.state = state
        self.lineGuard = lineGuard
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        let part = unwrapInboundIn(data)
        if case .head(var head) = part {
            state.headReceived()
            keepAlive = head.isKeepAlive
            responseStarted = false
            if !keepAlive {
                // The server's request loop ends after a response to `Connection: close`.
                head.headers.replaceOrAdd(name: "connection", value: "close")
                context.fireChannelRead(wrapInboundOut(.head(head)))
                return
            }
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var head):
            responseStarted = true
            if !keepAlive || closeAfterResponse {
                head.headers.replaceOrAdd(name: "connection", value: "close")
                context.write(wrapOutboundOut(.head(head)), promise: promise)
                return
            }
            context.write(data, promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            state.pending = max(state.pending - 1, 0)
            if !keepAlive || closeAfterResponse {
                closing = true
                let written = context.eventLoop.makePromise(of: Void.self)
                written.futureResult.cascade(to: promise)
                context.write(data, promise: written)
                context.flush()
                written.futureResult.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
            } else {
                context.write(data, promise: promise)
                lineGuard.responseEnded()
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parseError = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        if state.pending == 0 {
            // In a request's line or headers: no handler will answer, so answer here.
            let status: HTTPResponseStatus = switch parseError {
            case .headerOverflow: state.lineDone ? .requestHeaderFieldsTooLarge : .uriTooLong
            default: .badRequest
            }
            answer(context, status: status, message: "malformed HTTP request: \(HTTPErrorBody.describe(parseError))")
        } else if responseStarted {
            closing = true
            context.close(promise: nil)
        } else {
            // In a body: the handler reading it answers (400 with the reason); then close.
            closeAfterResponse = true
            context.fireErrorCaught(error)
        }
    }

    private func answer(_ context: ChannelHandlerContext, status: HTTPResponseStatus, message: String) {
        guard !closing else { return }
        closing = true
        HTTPServingMetrics.refused(status: Int(status.code))
        let body = HTTPErrorBody.json(message, status: Int(status.code), allocator: context.channel.allocator)
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: "application/json")
        headers.add(name: "content-length", value: String(body.readableBytes))
        headers.add(name: "connection", value: "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in LingeringClose.close(context) }
    }
}
