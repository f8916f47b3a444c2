import Foundation

/// The rules every store applies to keys: `/`-separated names, relative, no empty, `.` or `..`
/// segments, no NUL or other control characters, at most 1024 UTF-8 bytes (S3's limit).
public enum ObjectKey {
    public static let maximumBytes = 1024

    /// Throws `.invalidKey` naming the rule that `key` breaks.
    public static func validate(_ key: String, operation: String) throws(ObjectStoreError) {
        func fail(_ reason: String) -> ObjectStoreError {
            ObjectStoreError(.invalidKey, operation: operation, message: "invalid key '\(key)': \(reason)", isRetriable: false)
        }
        if key.isEmpty { throw fail("the key is empty") }
        if key.hasPrefix("/") { throw fail("keys are relative: no leading '/'") }
        if key.utf8.count > maximumBytes { throw fail("longer than \(maximumBytes) bytes") }
        if key.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw fail("control characters are not allowed")
        }
        for segment in key.split(separator: "/", omittingEmptySubsequences: false) {
            if segment.isEmpty { throw fail("empty path segment ('//' or a trailing '/')") }
            if segment == "." || segment == ".." { throw fail("'\(segment)' segments are not allowed") }
        }
    }

    /// A list prefix: "" or relative without `.`/`..` segments; it may end with `/`.
    public static func validatePrefix(_ prefix: String, operation: String) throws(ObjectStoreError) {
        guard !prefix.isEmpty else { return }
        let trimmed = prefix.hasSuffix("/") ? String(prefix.dropLast()) : prefix
        if trimmed.isEmpty {
            throw ObjectStoreError(.invalidKey, operation: operation, message: "invalid prefix '/': keys are relative", isRetriable: false)
        }
        do {
            try validate(trimmed, operation: operation)
        } catch {
            throw ObjectStoreError(.invalidKey, operation: operation, message: error.message.replacingOccurrences(of: "invalid key", with: "invalid prefix"), isRetriable: false)
        }
    }
}
