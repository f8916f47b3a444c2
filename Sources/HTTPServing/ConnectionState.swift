import NIOCore

/// What the two halves of a connection's guard share (``RequestLineGuard`` on the bytes,
/// ``RequestObserver`` on the decoded requests): where the connection is in its request cycle.
/// Used on the connection's event loop only.
final class ConnectionState {
    enum Phase { case idle, readingHead, inRequest }

    let limits: GuardLimits
    var phase: Phase = .idle
    /// Bytes of the current request line so far, and whether its end was seen.
    var lineBytes = 0
    var lineDone = false
    /// Requests whose head was decoded and whose response has not ended.
    var pending = 0
    /// The idle or header timer.
    var timer: Scheduled<Void>?

    init(limits: GuardLimits) { self.limits = limits }

    /// A request head was decoded: its handler runs now, no timer applies.
    func headReceived() {
        pending += 1
        phase = .inRequest
        timer?.cancel()
        timer = nil
        lineBytes = 0
        lineDone = false
    }
}

/// The limits a connection's guard applies.
struct GuardLimits: Sendable {
    var idleTimeout: TimeAmount
    var headerTimeout: TimeAmount
    var maxRequestLineBytes: Int
}
