import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A real redis-server for a test, on a free port, in memory only (no RDB or AOF files). It can
/// be stopped and started again on the same port (Redis going away mid-run). Installed by
/// `make test` (Debian's redis-server). With `REDIS_TEST_LOGS=DIR` each server writes a verbose log
/// (every connection accepted and closed) into DIR.
public final class RedisServer: Sendable {
    public let password: String?
    private let state = Mutex<(port: Int, process: ChildProcess?)>((0, nil))

    public var port: Int { state.withLock { $0.port } }
    private var process: ChildProcess? {
        get { state.withLock { $0.process } }
        set { state.withLock { $0.process = newValue } }
    }

    public init(password: String? = nil) throws {
        self.password = password
        // A port that looked free can be taken before redis-server binds it (by a process that
        // is not ours): then try another.
        var lastError: (any Error)?
        for _ in 0..<5 {
            let port = try Self.reservePort()
            state.withLock { $0.port = port }
            do {
                try start()
                return
            } catch {
                lastError = error
            }
        }
        throw lastError ?? RedisServerError(description: "redis-server did not start")
    }

    deinit { stop() }

    public var url: String { "redis://127.0.0.1:\(port)" }

    public func start() throws {
        let port = self.port
        let arguments = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no"]
            + (password.map { ["--requirepass", $0] } ?? [])
            + (ProcessInfo.processInfo.environment["REDIS_TEST_LOGS"].map { ["--logfile", "\($0)/redis-\(port)-\(Int.random(in: 0..<1_000_000)).log", "--loglevel", "verbose"] } ?? [])
        let process = try ChildProcess(try Self.binary(), arguments)
        self.process = process
        // Ready once the server answering on the port is this process (one that could not bind
        // exits, and whatever answers then is not ours: its process id says so).
        let deadline = Date().addingTimeInterval(30)
        while true {
            switch Self.answeringProcess(port: port, password: password) {
            case .some(let pid) where pid == process.pid:
                return
            case .some(let pid):
                process.signal(SIGKILL)
                process.wait()
                self.process = nil
                throw RedisServerError(description: "port \(port) is taken by another redis-server (pid \(pid))")
            case .none:
                guard Date() < deadline, process.isRunning else {
                    stop()
                    throw RedisServerError(description: "redis-server did not start on port \(port)")
                }
                usleep(20_000)
            }
        }
    }

    /// The process id the Redis server on `port` reports (`INFO server`), or nil when nothing
    /// answers there as Redis does.
    static func answeringProcess(port: Int, password: String?) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
        guard connected else { return nil }
        func command(_ words: [String]) -> [UInt8] {
            Array(("*\(words.count)\r\n" + words.map { "$\($0.utf8.count)\r\n\($0)\r\n" }.joined()).utf8)
        }
        // With a password INFO needs AUTH first.
        let request = (password.map { command(["AUTH", $0]) } ?? []) + command(["INFO", "server"])
        guard request.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, 0) }) == request.count else { return nil }
        var reply: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while reply.count < 65_536 {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return nil }
            reply += chunk[0..<count]
            // Whole lines only: the last one may still be coming.
            let lines = String(decoding: reply, as: UTF8.self).components(separatedBy: "\r\n").dropLast()
            if let line = lines.first(where: { $0.hasPrefix("process_id:") }) {
                return Int32(line.dropFirst("process_id:".count))
            }
        }
        return nil
    }

    /// Kills the server (SIGKILL: no goodbye to clients) and waits until its port is closed.
    public func stop() {
        guard let process else { return }
        process.signal(SIGKILL)
        process.wait()
        self.process = nil
    }

    private static func binary() throws -> String {
        for path in ["/usr/bin/redis-server", "/usr/local/bin/redis-server"] where FileManager.default.isExecutableFile(atPath: path) {
            return path
        }
        throw RedisServerError(description: "redis-server is not installed (make test installs Debian's redis-server)")
    }

    /// Ports handed out in this process: never twice, so that a server stopped for a while (Redis
    /// going away) finds its port free when it comes back.
    private static let reserved = ReservedPorts()

    /// A free port below the kernel's ephemeral range (32768 and up), where the servers and clients
    /// of other tests, which bind port 0, never land; none given out before in this process.
    private static func reservePort() throws -> Int {
        for _ in 0..<1_000 {
            let port = 20_000 + Int.random(in: 0..<12_000)
            guard reserved.claim(port) else { continue }
            if canBind(port) { return port }
        }
        throw RedisServerError(description: "no free port between 20000 and 32000")
    }

    private static func canBind(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

}

/// The ports ``RedisServer`` has given out.
final class ReservedPorts: Sendable {
    private let ports = Mutex<Set<Int>>([])

    /// True the first time `port` is asked for.
    func claim(_ port: Int) -> Bool {
        ports.withLock { $0.insert(port).inserted }
    }
}

public struct RedisServerError: Error, CustomStringConvertible {
    public var description: String
}
