#if canImport(Glibc)
import Glibc
#endif

/// A socket connected to one receiver (a NetFlow collector, a syslog receiver), used by one
/// thread: resolve and connect at start, then sends that name the output in their errors.
struct ConnectedSocket {
    /// What a datagram send came to: sent, or refused by the kernel (nothing listening: an ICMP
    /// port unreachable answered an earlier datagram).
    enum Delivery { case sent(Int), refused }

    private(set) var descriptor: Int32 = -1
    let output: String

    /// Resolves `host` (IPv4) and connects a UDP (`SOCK_DGRAM`) or TCP (`SOCK_STREAM`) socket to it.
    init(host: String, port: Int, type: Int32, output: String, sendBuffer: Int32? = nil) throws(OutputError) {
        self.output = output
        var hints = addrinfo()
        hints.ai_family = AF_INET
        hints.ai_socktype = type
        var found: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &found)
        guard status == 0, let address = found else {
            throw OutputError(output: output, operation: "resolve", detail: String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(address) }
        descriptor = socket(AF_INET, type | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw OutputError(output: output, operation: "open a socket for", code: errno) }
        if var size = sendBuffer { _ = setsockopt(descriptor, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size)) }
        guard connect(descriptor, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 else {
            let code = errno
            close()
            throw OutputError(output: output, operation: "connect to", code: code)
        }
    }

    /// Sends one datagram, waiting while the kernel's queue is full, as a blocking exporter does.
    func sendDatagram(_ data: UnsafeRawBufferPointer) throws(OutputError) -> Delivery {
        while true {
            let sent = send(descriptor, data.baseAddress, data.count, 0)
            if sent >= 0 { return .sent(sent) }
            switch errno {
            case EINTR: continue
            case ENOBUFS, EAGAIN: usleep(100)
            case ECONNREFUSED: return .refused
            default: throw OutputError(output: output, operation: "send to", code: errno)
            }
        }
    }

    /// Writes all of `data` to a stream socket.
    func sendAll(_ data: UnsafeRawBufferPointer) throws(OutputError) {
        var offset = 0
        while offset < data.count {
            let sent = send(descriptor, data.baseAddress! + offset, data.count - offset, Int32(MSG_NOSIGNAL))
            if sent < 0 {
                if errno == EINTR { continue }
                throw OutputError(output: output, operation: "send to", code: errno)
            }
            offset += sent
        }
    }

    mutating func close() {
        if descriptor >= 0 { Glibc.close(descriptor) }
        descriptor = -1
    }
}
