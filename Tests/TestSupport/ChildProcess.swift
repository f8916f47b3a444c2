import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A child process for the tests (redis-server, moto, python, gzip), started with `posix_spawn`.
///
/// Not Foundation's `Process`: on Linux it enumerates every open descriptor at each spawn to close
/// it in the child, watches each child through a socket on a run-loop thread, and closes pipe
/// ends behind their handles, which with many tests spawning at once is a known source of
/// "Bad file descriptor" failures. Here every descriptor the parent opens for a child is
/// `O_CLOEXEC` and closed once, by the code that opened it; the child gets its standard streams
/// by `dup2` in the spawn's own file actions, and inherits nothing else (`closefrom` in the child).
public final class ChildProcess: Sendable {
    /// Where a standard stream of the child goes.
    public enum Stream: Sendable {
        /// `/dev/null`.
        case null
        /// A pipe to the parent: ``standardInput`` to write, ``standardOutput`` or
        /// ``standardError`` to read.
        case pipe
    }

    public let pid: pid_t
    /// The parent's ends of the pipes asked for (nil otherwise). The caller closes them (``Pipe/close()``).
    public let standardInput: PipeEnd?
    public let standardOutput: PipeEnd?
    public let standardError: PipeEnd?
    /// The exit status once reaped (`waitpid` happens here only).
    private let status = Mutex<Int32?>(nil)

    /// A child that exits before it has read its input must not kill the tests with SIGPIPE.
    private static let pipeSignalIgnored: Void = { _ = Glibc.signal(SIGPIPE, SIG_IGN) }()

    public init(_ executable: String, _ arguments: [String], input: Stream = .null, output: Stream = .null, error: Stream = .null) throws(ChildProcessError) {
        Self.pipeSignalIgnored
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // (parent's end, child's end) for each pipe; the child's ends are closed here after the spawn.
        var pipes: [(parent: Int32, child: Int32)?] = []
        func stream(_ kind: Stream, fd: Int32, childReads: Bool) throws(ChildProcessError) {
            switch kind {
            case .null:
                posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", childReads ? O_RDONLY : O_WRONLY, 0)
                pipes.append(nil)
            case .pipe:
                var ends: [Int32] = [-1, -1]
                guard Self.pipe2(&ends, O_CLOEXEC) == 0 else { throw ChildProcessError("pipe2: \(String(cString: strerror(errno)))") }
                let (child, parent) = childReads ? (ends[0], ends[1]) : (ends[1], ends[0])
                // dup2 onto 0, 1 or 2 clears close-on-exec for the child's copy only.
                posix_spawn_file_actions_adddup2(&actions, child, fd)
                pipes.append((parent, child))
            }
        }
        try stream(input, fd: 0, childReads: true)
        try stream(output, fd: 1, childReads: false)
        try stream(error, fd: 2, childReads: false)
        // Descriptors of this process that are not close-on-exec stay out of the child.
        _ = Self.addCloseFrom(&actions, 3)

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        for case let ends? in pipes { close(ends.child) }
        guard result == 0 else {
            for case let ends? in pipes { close(ends.parent) }
            throw ChildProcessError("cannot run \(executable): \(String(cString: strerror(result)))")
        }
        self.pid = pid
        standardInput = pipes[0].map { PipeEnd($0.parent) }
        standardOutput = pipes[1].map { PipeEnd($0.parent) }
        standardError = pipes[2].map { PipeEnd($0.parent) }
    }

    // glibc's pipe2 and posix_spawn_file_actions_addclosefrom_np (2.34), which its Swift module
    // does not show (they need _GNU_SOURCE).
    private typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private static let pipe2: Pipe2 = unsafeBitCast(dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pipe2")!, to: Pipe2.self)
    private static let addCloseFrom: AddCloseFrom = unsafeBitCast(
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")!, to: AddCloseFrom.self
    )

    /// Whether the child has not exited yet (reaps it when it has).
    public var isRunning: Bool {
        status.withLock { status in
            guard status == nil else { return false }
            var raw: Int32 = 0
            let reaped = waitpid(pid, &raw, WNOHANG)
            if reaped == pid { status = raw }
            return status == nil && reaped == 0
        }
    }

    public func signal(_ number: Int32) {
        if isRunning { kill(pid, number) }
    }

    /// Waits for the child to exit; its exit code (128 + the signal for a killed child).
    @discardableResult
    public func wait() -> Int32 {
        let raw: Int32 = status.withLock { status in
            if let status { return status }
            var raw: Int32 = 0
            while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
            status = raw
            return raw
        }
        let signal = raw & 0x7f
        return signal == 0 ? (raw >> 8) & 0xff : 128 + signal
    }

    /// Runs `executable` to its end: `input` written to its standard input, and what it wrote to
    /// standard output and standard error (read together, so neither pipe fills while the other
    /// is read).
    public static func run(_ executable: String, _ arguments: [String], input: [UInt8]? = nil) throws(ChildProcessError) -> (status: Int32, output: [UInt8], error: [UInt8]) {
        let child = try ChildProcess(executable, arguments, input: input == nil ? .null : .pipe, output: .pipe, error: .pipe)
        if let input, let pipe = child.standardInput {
            // A writer thread, so a child that writes before it has read everything does not stall.
            let written = DispatchSemaphore(value: 0)
            DispatchQueue.global().async {
                pipe.writeAll(input)
                pipe.close()
                written.signal()
            }
            let (output, error) = PipeEnd.readBoth(child.standardOutput!, child.standardError!)
            written.wait()
            return (child.wait(), output, error)
        }
        let (output, error) = PipeEnd.readBoth(child.standardOutput!, child.standardError!)
        return (child.wait(), output, error)
    }
}

/// The parent's end of a pipe to a child.
public final class PipeEnd: Sendable {
    private let descriptor: Mutex<Int32>

    init(_ fd: Int32) { descriptor = Mutex(fd) }

    deinit { close() }

    /// Closes the end once (later calls do nothing).
    public func close() {
        descriptor.withLock { fd in
            if fd >= 0 { _ = Glibc.close(fd) }
            fd = -1
        }
    }

    private var fd: Int32 { descriptor.withLock { $0 } }

    /// Writes every byte (stops early if the child has closed its end).
    public func writeAll(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            offset += written
        }
    }

    /// The next bytes, waiting for them; empty at the end (the child closed its end).
    public func read(max: Int = 65_536) -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: max)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            return count > 0 ? Array(chunk[0..<count]) : []
        }
    }

    /// Everything until the end.
    public func readAll() -> [UInt8] {
        var bytes: [UInt8] = []
        while true {
            let chunk = read()
            if chunk.isEmpty { return bytes }
            bytes += chunk
        }
    }

    /// Both ends read to their end together.
    static func readBoth(_ first: PipeEnd, _ second: PipeEnd) -> ([UInt8], [UInt8]) {
        var results: [[UInt8]] = [[], []]
        var open = [first, second].map(Optional.some)
        while open.contains(where: { $0 != nil }) {
            var polled = open.map { pollfd(fd: $0?.fd ?? -1, events: Int16(POLLIN), revents: 0) }
            guard poll(&polled, nfds_t(polled.count), -1) >= 0 || errno == EINTR else { break }
            for index in polled.indices where polled[index].revents != 0 {
                guard let end = open[index] else { continue }
                let chunk = end.read()
                if chunk.isEmpty { open[index] = nil } else { results[index] += chunk }
            }
        }
        return (results[0], results[1])
    }
}

/// A child that could not be started.
public struct ChildProcessError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
