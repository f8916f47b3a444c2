import NIOCore
import NIOHTTP1

/// Added with the HTTP/1 handlers of a connection (Hummingbird's additional channel handlers):
/// puts ``RequestLineGuard`` in front of the HTTP encoder and decoder, and ``RequestObserver``
/// right after the decoder. On an HTTP/2 stream (no HTTP/1 decoder) it does nothing.
final class GuardInstaller: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    let limits: GuardLimits

    init(limits: GuardLimits) { self.limits = limits }

    func handlerAdded(context: ChannelHandlerContext) {
        let pipeline = context.pipeline.syncOperations
        guard let encoder = try? pipeline.handler(type: HTTPResponseEncoder.self),
              let decoder = try? pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self) else { return }
        let state = ConnectionState(limits: limits)
        let lineGuard = RequestLineGuard(state: state)
        do {
            try pipeline.addHandler(lineGuard, position: .before(encoder))
            try pipeline.addHandler(RequestObserver(state: state, lineGuard: lineGuard), position: .after(decoder))
        } catch {
            context.fireErrorCaught(error)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireChannelRead(data)
    }
}
