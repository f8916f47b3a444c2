import NIOCore
import Synchronization

/// Counts a server's open connections against its cap (``HTTPServerConfiguration/maxConnections``).
final class ConnectionGate: Sendable {
    let limit: Int
    private let open = Atomic<Int>(0)

    init(limit: Int) { self.limit = limit }

    /// Takes a place; false (nothing taken) when every place is taken.
    func enter() -> Bool {
        let now = open.wrappingAdd(1, ordering: .relaxed).newValue
        guard now <= limit else {
            open.wrappingSubtract(1, ordering: .relaxed)
            return false
        }
        HTTPServingMetrics.connections.record(now)
        return true
    }

    func leave() {
        HTTPServingMetrics.connections.record(open.wrappingSubtract(1, ordering: .relaxed).newValue)
    }
}

/// First in a connection's pipeline: takes a place at the gate, or refuses the connection (503
/// in plain HTTP; closed at once under TLS, where no plain answer can be read).
final class ConnectionCounter: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let gate: ConnectionGate
    let plain: Bool
    private var entered = false

    init(gate: ConnectionGate, plain: Bool) {
        self.gate = gate
        self.plain = plain
    }

    func handlerAdded(context: ChannelHandlerContext) {
        entered = gate.enter()
        guard !entered else { return }
        HTTPServingMetrics.refused(status: 503)
        guard plain else {
            context.close(promise: nil)
            return
        }
        let response = HTTPErrorBody.rawResponse(
            status: .serviceUnavailable, message: "too many connections (at most \(gate.limit)); retry later", allocator: context.channel.allocator
        )
        context.writeAndFlush(wrapOutboundOut(response)).assumeIsolated().whenComplete { _ in
            LingeringClose.close(context)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        if entered {
            entered = false
            gate.leave()
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // A refused connection reads nothing more.
        if entered { context.fireChannelRead(data) }
    }
}
