// MARK: - Failing loudly

/// A broken property stops the process with a message, which libFuzzer reports as a crash (a
/// deadly signal) and keeps the input of. Shared by every harness (a symlink in RESP/).
enum FuzzCheck {
    static func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
        if !condition() { fail(message()) }
    }

    static func fail(_ message: String) -> Never {
        fatalError("property broken: \(message)")
    }

    /// Bytes as lower-case hex, the first 256 of them, for messages.
    static func hex<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for b in bytes.prefix(256) {
            text.append(digits[Int(b >> 4)])
            text.append(digits[Int(b & 15)])
        }
        return String(decoding: text, as: UTF8.self) + (bytes.count > 256 ? "..." : "")
    }
}
