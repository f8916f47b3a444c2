#if canImport(Glibc)
import Glibc
#endif

/// A file written front to back by one thread (a sidecar of labels), or replaced whole at once
/// (the incident table: written beside, then renamed over, so a reader never sees half of it).
struct TextFile {
    let path: String
    private var descriptor: Int32

    /// Creates or truncates `path`.
    init(creating path: String) throws(OutputError) {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw OutputError(output: path, operation: "open", code: errno) }
    }

    mutating func write(_ data: UnsafeRawBufferPointer) throws(OutputError) {
        var offset = 0
        while offset < data.count {
            let written = Glibc.write(descriptor, data.baseAddress! + offset, data.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw OutputError(output: path, operation: "write to", code: errno)
            }
            offset += written
        }
    }

    mutating func write(_ bytes: [UInt8]) throws(OutputError) {
        let result: Result<Void, OutputError> = bytes.withUnsafeBytes { raw in
            do throws(OutputError) { return .success(try write(raw)) } catch { return .failure(error) }
        }
        try result.get()
    }

    /// Syncs and closes.
    mutating func close() throws(OutputError) {
        guard descriptor >= 0 else { return }
        defer {
            _ = Glibc.close(descriptor)
            descriptor = -1
        }
        if fsync(descriptor) != 0 && errno != EINVAL { throw OutputError(output: path, operation: "sync", code: errno) }
    }

    /// Writes `bytes` as the whole of `path`: to a file beside it, then renamed over it.
    static func replace(_ path: String, with bytes: [UInt8]) throws(OutputError) {
        let temporary = path + ".tmp"
        var file = try TextFile(creating: temporary)
        try file.write(bytes)
        try file.close()
        guard rename(temporary, path) == 0 else { throw OutputError(output: path, operation: "rename onto", code: errno) }
    }
}
