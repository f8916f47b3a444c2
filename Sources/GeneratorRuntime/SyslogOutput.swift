#if canImport(Glibc)
import Glibc
#endif
import KafkaTransport
import TelemetryFormats
import TelemetryModel

/// Sends firewall logs (CEF in RFC 5424 messages, ``FlowCEFEncoder``) to a syslog receiver: one
/// datagram a message over UDP, or a TCP stream with octet-counting framing (`LEN MSG`, RFC 6587).
/// A TCP receiver that cannot be reached or goes away is an error; over UDP, messages the kernel
/// refuses (no receiver: ECONNREFUSED) are counted and reported at the end.
final class SyslogOutput: RecordOutput {
    let spec: OutputSpec
    private let target: SyslogTarget
    private let encoder: FlowCEFEncoder
    private var socket: Int32 = -1
    private var message = WriteBuffer(capacity: 1_024)
    /// TCP: framed messages waiting to be written.
    private var stream = WriteBuffer(capacity: 128 * 1_024)
    private(set) var records: UInt64 = 0
    private(set) var bytes: UInt64 = 0
    private var refused: UInt64 = 0
    private var sent: UInt64 = 0
    var files: [String] { [] }
    var delivery: KafkaDeliveryReport? { nil }

    init(spec: OutputSpec, target: SyslogTarget, encoder: FlowCEFEncoder) {
        self.spec = spec
        self.target = target
        self.encoder = encoder
    }

    deinit { if socket >= 0 { close(socket) } }

    func start() throws(OutputError) {
        let type = target.transport == .udp ? Int32(SOCK_DGRAM.rawValue) : Int32(SOCK_STREAM.rawValue)
        var hints = addrinfo()
        hints.ai_family = AF_INET
        hints.ai_socktype = type
        var found: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(target.host, String(target.port), &hints, &found)
        guard status == 0, let address = found else {
            throw OutputError(output: spec.description, operation: "resolve", detail: String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(address) }
        socket = Glibc.socket(AF_INET, type | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard socket >= 0 else { throw OutputError(output: spec.description, operation: "open a socket for", code: errno) }
        guard connect(socket, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 else {
            throw OutputError(output: spec.description, operation: "connect to", code: errno)
        }
    }

    func write(_ chunk: FlowChunk, records range: Range<Int>, now: Double) throws(OutputError) {
        for i in range where !chunk.events[i].dropped {
            message.removeAll()
            encoder.encode(chunk.events[i], into: &message, newline: false)
            switch target.transport {
            case .udp:
                try sendDatagram()
            case .tcp:
                stream.append("\(message.count) ")
                message.withBytes { stream.append($0) }
                if stream.count >= 64 * 1_024 { try flushStream() }
            }
            records += 1
        }
    }

    func tick(now: Double) throws(OutputError) { try flushStream() }

    func finish() throws(OutputError) {
        defer {
            if socket >= 0 { close(socket) }
            socket = -1
        }
        try flushStream()
        if refused > 0 {
            throw OutputError(
                output: spec.description, operation: "send to",
                detail: "\(refused) of \(refused + sent) messages refused: no syslog receiver listening at \(target.host):\(target.port)"
            )
        }
    }

    private func sendDatagram() throws(OutputError) {
        while true {
            let result = message.withBytes { Glibc.send(socket, $0.baseAddress, $0.count, 0) }
            if result >= 0 {
                bytes += UInt64(result)
                sent += 1
                return
            }
            switch errno {
            case EINTR: continue
            case ENOBUFS, EAGAIN: usleep(100)
            case ECONNREFUSED:
                refused += 1
                return
            default: throw OutputError(output: spec.description, operation: "send to", code: errno)
            }
        }
    }

    private func flushStream() throws(OutputError) {
        guard target.transport == .tcp, stream.count > 0 else { return }
        var offset = 0
        let total = stream.count
        while offset < total {
            let result = stream.withBytes { Glibc.send(socket, $0.baseAddress! + offset, total - offset, Int32(MSG_NOSIGNAL)) }
            if result < 0 {
                if errno == EINTR { continue }
                throw OutputError(output: spec.description, operation: "send to", code: errno)
            }
            offset += result
        }
        bytes += UInt64(total)
        stream.removeAll()
    }
}
