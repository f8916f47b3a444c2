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
    private var socket: ConnectedSocket?
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

    deinit { socket?.close() }

    func start() throws(OutputError) {
        let type = target.transport == .udp ? Int32(SOCK_DGRAM.rawValue) : Int32(SOCK_STREAM.rawValue)
        socket = try ConnectedSocket(host: target.host, port: target.port, type: type, output: spec.description)
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
        defer { socket?.close() }
        try flushStream()
        if refused > 0 {
            throw OutputError(
                output: spec.description, operation: "send to",
                detail: "\(refused) of \(refused + sent) messages refused: no syslog receiver listening at \(target.host):\(target.port)"
            )
        }
    }

    private func sendDatagram() throws(OutputError) {
        guard let socket else { return }
        let result: Result<ConnectedSocket.Delivery, OutputError> = message.withBytes { bytes in
            do throws(OutputError) { return .success(try socket.sendDatagram(bytes)) } catch { return .failure(error) }
        }
        switch try result.get() {
        case .sent(let count):
            bytes += UInt64(count)
            sent += 1
        case .refused:
            refused += 1
        }
    }

    private func flushStream() throws(OutputError) {
        guard target.transport == .tcp, stream.count > 0, let socket else { return }
        let result: Result<Void, OutputError> = stream.withBytes { bytes in
            do throws(OutputError) { return .success(try socket.sendAll(bytes)) } catch { return .failure(error) }
        }
        try result.get()
        bytes += UInt64(stream.count)
        stream.removeAll()
    }
}
