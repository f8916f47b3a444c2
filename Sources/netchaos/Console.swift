#if canImport(Glibc)
import Glibc
#endif

/// Direct, unbuffered writes for messages other processes wait on.
enum Console {
    /// `netchaos: error: <message>` on stderr.
    static func printError(_ message: String) {
        write(fd: 2, "netchaos: error: \(message)\n")
    }

    /// A line on stdout, written at once (stdout is block-buffered when redirected).
    static func printLine(_ text: String) {
        write(fd: 1, text + "\n")
    }

    static func write(fd: Int32, _ text: String) {
        var copy = text
        _ = copy.withUTF8 { write(fd: fd, bytes: UnsafeRawBufferPointer($0)) }
    }

    /// Writes all of `bytes`; returns false when the descriptor fails (a closed pipe).
    @discardableResult
    static func write(fd: Int32, bytes: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { return false }
            offset += written
        }
        return true
    }
}
