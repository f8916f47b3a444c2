import NIOCore
import NIOHTTP1

/// The raw bytes of a connection before HTTP decoding: answers 414 to a request line longer than
/// the limit, 408 to a request whose line and headers do not arrive within the header timeout
/// (slowloris), and closes a connection idle for longer than the idle timeout.
final class RequestLineGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let state: ConnectionState
    private var refused = false
    /// Its own place in the pipeline, for the observer's calls.
    private var context: ChannelHandlerContext?

    init(state: ConnectionState) { self.state = state }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        armIdle(context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        state.timer?.cancel()
        state.timer = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused else { return }
        let buffer = unwrapInboundIn(data)
        if state.phase == .idle, buffer.readableBytes > 0 {
            state.phase = .readingHead
            arm(context, after: state.limits.headerTimeout)
        }
        if state.phase == .readingHead, !state.lineDone {
            if let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
                state.lineBytes += newline - buffer.readableBytesView.startIndex
                state.lineDone = true
            } else {
                state.lineBytes += buffer.readableBytes
            }
            if state.lineBytes > state.limits.maxRequestLineBytes {
                refuse(context, status: .uriTooLong, message: "the request line is longer than \(state.limits.maxRequestLineBytes) bytes")
                return
            }
        }
        context.fireChannelRead(data)
    }

    /// The response to the last pending request ended: the connection waits for the next one.
    func responseEnded() {
        guard state.pending == 0, let context else { return }
        state.phase = .idle
        state.lineBytes = 0
        state.lineDone = false
        armIdle(context)
    }

    private func armIdle(_ context: ChannelHandlerContext) {
        arm(context, after: state.limits.idleTimeout)
    }

    private func arm(_ context: ChannelHandlerContext, after delay: TimeAmount) {
        state.timer?.cancel()
        state.timer = context.eventLoop.assumeIsolated().scheduleTask(in: delay) { [self] in
            timedOut(context)
        }
    }

    private func timedOut(_ context: ChannelHandlerContext) {
        state.timer = nil
        switch state.phase {
        case .idle:
            HTTPServingMetrics.timeout(kind: "idle")
            context.close(promise: nil)
        case .readingHead:
            HTTPServingMetrics.timeout(kind: "header")
            refuse(context, status: .requestTimeout, message: "the request's line and headers did not arrive within \(Self.seconds(state.limits.headerTimeout))")
        case .inRequest:
            break
        }
    }

    private func refuse(_ context: ChannelHandlerContext, status: HTTPResponseStatus, message: String) {
        refused = true
        state.timer?.cancel()
        state.timer = nil
        HTTPServingMetrics.refused(status: Int(status.code))
        let response = HTTPErrorBody.rawResponse(status: status, message: message, allocator: context.channel.allocator)
        context.writeAndFlush(wrapOutboundOut(response)).assumeIsolated().whenComplete { _ in
            LingeringClose.close(context)
        }
    }

    static func seconds(_ amount: TimeAmount) -> String {
        let seconds = Double(amount.nanoseconds) / 1e9
        return seconds == seconds.rounded() ? "\(Int(seconds)) s" : "\(seconds) s"
    }
}
