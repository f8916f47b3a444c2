import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `scripts/moto_server.py` prints once moto is serving with signature checks on.
struct MotoInstance: Sendable, Decodable {
    var endpoint: String
    var accessKeyID: String
    var secretAccessKey: String
    var region: String
    var pid: Int32

    enum CodingKeys: String, CodingKey {
        case endpoint, region, pid
        case accessKeyID = "access_key_id"
        case secretAccessKey = "secret_access_key"
    }
}

/// A failed start, with the script's own explanation (its standard error).
struct MotoStartError: Error, CustomStringConvertible {
    var description: String
}

/// One moto_server for the whole test process, started on first use through
/// `scripts/moto_server.py` and stopped when the process ends: the script watches its standard
/// input, a pipe whose other end only this process holds, and stops moto when it closes (moto also
/// gets SIGTERM if the script dies). A failed start is remembered, so every S3 test fails with the
/// same message instead of each trying again.
actor MotoServer {
    static let shared = MotoServer()

    private var starting: Task<MotoInstance, any Error>?
    /// Kept open for the life of the process: closing it stops moto.
    private var keepAlive: FileHandle?

    /// The running instance; throws `MotoStartError` when moto cannot be started.
    func instance() async throws -> MotoInstance {
        if starting == nil {
            starting = Task { try await self.start() }
        }
        return try await starting!.value
    }

    private func start() async throws -> MotoInstance {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let script = root.appendingPathComponent("scripts/moto_server.py").path
        guard FileManager.default.fileExists(atPath: script) else {
            throw MotoStartError(description: "\(script) is missing")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, "--watch-stdin"]
        let output = Pipe()
        let errors = Pipe()
        let input = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = input
        do {
            try process.run()
        } catch {
            throw MotoStartError(description: "cannot run python3 \(script): \(error)")
        }
        keepAlive = input.fileHandleForWriting
        let pid = process.processIdentifier

        let errorText = Self.collect(errors.fileHandleForReading)
        let timeoutSeconds = 120.0
        let line = await Self.firstLine(of: output.fileHandleForReading, pid: pid, timeout: timeoutSeconds)
        guard let line, let data = line.data(using: .utf8), let instance = try? JSONDecoder().decode(MotoInstance.self, from: data) else {
            kill(pid, SIGTERM)
            // Give the script a moment to explain itself on standard error.
            for _ in 0..<50 where process.isRunning { try? await Task.sleep(for: .milliseconds(100)) }
            let status = process.isRunning ? "still running" : "exit status \(process.terminationStatus)"
            let explanation = errorText.text.trimmingCharacters(in: .whitespacesAndNewlines)
            throw MotoStartError(description: """
                moto_server did not start (\(status)); the S3 tests need it: pip install "moto[server]" boto3 \
                (scripts/install-deps.sh test). \(line.map { "First line: \($0). " } ?? (status == "still running" ? "No line on standard output within \(Int(timeoutSeconds))s. " : "Nothing on standard output. "))\
                Standard error: \(explanation.isEmpty ? "(empty)" : explanation)
                """)
        }
        return instance
    }

    /// Reads `handle` to its end in the background.
    private static func collect(_ handle: FileHandle) -> OutputCollector {
        let collector = OutputCollector()
        Thread.detachNewThread {
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { return }
                collector.append(chunk)
            }
        }
        return collector
    }

    /// The first line of `handle`, or nil at its end or after `timeout` (the process is then
    /// killed, which ends the pipe).
    private static func firstLine(of handle: FileHandle, pid: Int32, timeout: Double) async -> String? {
        await withCheckedContinuation { (continuation: CheckedContinuation<String?, Never>) in
            let once = Once(continuation)
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
                if !once.isDone { kill(pid, SIGKILL) }
            }
            Thread.detachNewThread {
                var bytes: [UInt8] = []
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    bytes.append(contentsOf: chunk)
                    if let newline = bytes.firstIndex(of: 0x0A) {
                        once.resume(String(decoding: bytes[..<newline], as: UTF8.self))
                        return
                    }
                }
                once.resume(bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self))
            }
        }
    }
}

/// Bytes read from a pipe by a background thread (at most 64 KiB kept).
final class OutputCollector: Sendable {
    private let bytes = Mutex<[UInt8]>([])

    func append(_ data: Data) {
        bytes.withLock { if $0.count < 65_536 { $0.append(contentsOf: data.prefix(65_536 - $0.count)) } }
    }

    var text: String { bytes.withLock { String(decoding: $0, as: UTF8.self) } }
}

/// Resumes a continuation exactly once.
private final class Once: Sendable {
    private let state: Mutex<CheckedContinuation<String?, Never>?>
    init(_ continuation: CheckedContinuation<String?, Never>) { state = Mutex(continuation) }
    var isDone: Bool { state.withLock { $0 == nil } }
    func resume(_ value: String?) {
        state.withLock { continuation in
            continuation?.resume(returning: value)
            continuation = nil
        }
    }
}
