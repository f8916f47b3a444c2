import Foundation
import Synchronization
import TestSupport
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
    /// Kept for the life of the process: its standard input, whose closing stops moto.
    private var child: ChildProcess?

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
        let process: ChildProcess
        do {
            process = try ChildProcess("/usr/bin/env", ["python3", script, "--watch-stdin"], input: .pipe, output: .pipe, error: .pipe)
        } catch {
            throw MotoStartError(description: "cannot run python3 \(script): \(error)")
        }
        child = process

        let errorText = Self.collect(process.standardError!)
        let timeoutSeconds = 120.0
        let line = await Self.firstLine(of: process.standardOutput!, process: process, timeout: timeoutSeconds)
        guard let line, let data = line.data(using: .utf8), let instance = try? JSONDecoder().decode(MotoInstance.self, from: data) else {
            process.signal(SIGTERM)
            // Give the script a moment to explain itself on standard error.
            for _ in 0..<50 where process.isRunning { try? await Task.sleep(for: .milliseconds(100)) }
            let status = process.isRunning ? "still running" : "exit status \(process.wait())"
            let explanation = errorText.text.trimmingCharacters(in: .whitespacesAndNewlines)
            throw MotoStartError(description: """
                moto_server did not start (\(status)); the S3 tests need it: pip install "moto[server]" boto3 \
                (scripts/install-deps.sh test). \(line.map { "First line: \($0). " } ?? (status == "still running" ? "No line on standard output within \(Int(timeoutSeconds))s. " : "Nothing on standard output. "))\
                Standard error: \(explanation.isEmpty ? "(empty)" : explanation)
                """)
        }
        return instance
    }

    /// Reads `pipe` to its end in the background.
    private static func collect(_ pipe: PipeEnd) -> OutputCollector {
        let collector = OutputCollector()
        Thread.detachNewThread {
            while true {
                let chunk = pipe.read()
                if chunk.isEmpty { return }
                collector.append(chunk)
            }
        }
        return collector
    }

    /// The first line of `pipe`, or nil at its end or after `timeout` (the process is then
    /// killed, which ends the pipe).
    private static func firstLine(of pipe: PipeEnd, process: ChildProcess, timeout: Double) async -> String? {
        await withCheckedContinuation { (continuation: CheckedContinuation<String?, Never>) in
            let once = Once(continuation)
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
                if !once.isDone { process.signal(SIGKILL) }
            }
            Thread.detachNewThread {
                var bytes: [UInt8] = []
                while true {
                    let chunk = pipe.read()
                    if chunk.isEmpty { break }
                    bytes.append(contentsOf: chunk)
                    if let newline = bytes.firstIndex(of: 0x0A) {
                        once.resume(String(decoding: bytes[..<newline], as: UTF8.self))
                        // The rest of standard output is read and dropped, so moto never blocks on it.
                        while !pipe.read().isEmpty {}
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

    func append(_ data: [UInt8]) {
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
