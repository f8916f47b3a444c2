#if canImport(Glibc)
import Glibc
#endif
import NIOCore

/// A clear message for a server that could not listen (the port taken, the address not ours).
enum ListenFailure {
    static func message(_ error: any Error, host: String, port: Int, setting: String) -> String? {
        guard let io = error as? IOError else { return nil }
        switch io.errnoCode {
        case EADDRINUSE: return "cannot listen on \(host):\(port): the port is in use by another process (\(setting) picks another; 0 takes a free one)"
        case EADDRNOTAVAIL: return "cannot listen on \(host):\(port): \(host) is not an address of this machine"
        case EACCES: return "cannot listen on \(host):\(port): permission denied (ports below 1024 need privileges)"
        default: return nil
        }
    }
}
