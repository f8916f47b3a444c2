#if canImport(Glibc)
import Glibc
#endif
import NIOCore

extension HTTPServerConfiguration {
    /// A clear message for a server that could not listen (the port taken, the address not
    /// ours or not an address at all), naming the setting to change; nil for other errors.
    public func listenFailure(_ error: any Error) -> String? {
        if error is SocketAddressError.UnknownHost {
            return "cannot listen on \(host):\(port): \(host) is not an IP address or a host name that resolves (\(hostSetting))"
        }
        if let address = error as? SocketAddressError {
            switch address {
            case .unknown, .unsupported:
                return "cannot listen on \(host):\(port): \(host) is not an IP address or a host name that resolves (\(hostSetting))"
            default:
                return "cannot listen on \(host):\(port): \(address) (\(hostSetting))"
            }
        }
        guard let io = error as? IOError else { return nil }
        switch io.errnoCode {
        case EADDRINUSE: return "cannot listen on \(host):\(port): the port is in use by another process (\(portSetting) picks another; 0 takes a free one)"
        case EADDRNOTAVAIL: return "cannot listen on \(host):\(port): \(host) is not an address of this machine (\(hostSetting))"
        case EACCES: return "cannot listen on \(host):\(port): permission denied (ports below 1024 need privileges; \(portSetting))"
        default: return nil
        }
    }
}
