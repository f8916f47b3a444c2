
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import FailPoints
import Foundation
import Synchronization
import BlockingWork

/// An `ObjectStore` in a local directory laid out like a bucket: key `a/b/c.json.gz` is the file
/// `<root>/a/b/c.json.gz`. The embedded default (`file:./netchaos-data`).
///
/// `put` writes a temporary file in the object's directory, fsyncs it, renames it over the key
/// (atomic: a reader sees the old object or the new one, never part of one) and fsyncs the
/// directory. Temporary files start with `.netchaos-tmp.` and end in `.partial`, so no glob of
/// the data (`**/*.json.gz`, `**/*.parquet`) reads one; they are never listed, `prepare` removes
/// those a crash left behind, and keys may not use that name. Keys are checked (`ObjectKey`): no absolute paths, `..` or empty segments.
/// Unlike S3, a key cannot also be the directory of other keys (`a` and `a/b`): the second put
/// fails with `.io`. `put` runs its blocking POSIX calls (write, fsync, rename) on a dispatch
/// queue of its own, so Swift's few cooperative threads never wait on the disk.
public struct LocalDirectoryStore: ObjectStore {
    /// Temporary files: `.netchaos-tmp.<pid>.<random>.<name>.partial`.
    public static let temporaryPrefix = ".netchaos-tmp."
    public static let temporarySuffix = ".partial"
    /// A temporary file of a process still running is left alone unless it is this old.
    public static let abandonedAfterSeconds = 3_600

    /// The temporary file's name for object file `name`, written by this process.
    public static func temporaryName(for name: String) -> String {
        temporaryPrefix + String(getpid()) + "." + String(UInt64.random(in: 0...UInt64.max), radix: 36) + "." + name + temporarySuffix
    }

    /// The directory, absolute and standardized.
    public let root: String

    /// `root` may be relative (to the current directory).
    public init(root: String) {
        let absolute = root.hasPrefix("/") ? root : FileManager.default.currentDirectoryPath + "/" + root
        var standardized = URL(fileURLWithPath: absolute).standardizedFileURL.path
        while standardized.count > 1 && standardized.hasSuffix("/") { standardized.removeLast() }
        self.root = standardized
    }

    public var location: String { "file:\(root)" }

    // MARK: - ObjectStore

    public func prepare() async throws(ObjectStoreError) {
        let operation = "PREPARE \(location)"
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw ObjectStoreError(.invalidConfiguration, operation: operation, message: "\(root) exists and is not a directory", isRetriable: false)
            }
        } else {
            try makeDirectories(root, operation: operation)
        }
        guard access(root, W_OK | X_OK) == 0 else {
            throw Self.posixError(errno, operation: operation, path: root, code: .invalidConfiguration)
        }
        removeAbandonedTemporaries()
    }

    /// Removes the temporary files a crash left in the tree (a kill -9 between write and rename):
    /// those of a process that is gone, of this process's pid that it is not writing (an earlier
    /// run in a container, where the pid repeats), in an older
    /// name form, or older than ``abandonedAfterSeconds``. Those of another store process at
    /// work are left alone. Returns how many it removed.
    @discardableResult
    public func removeAbandonedTemporaries(now: time_t = time(nil)) -> Int {
        var removed = 0
        var pending = [root]
        while let directory = pending.popLast() {
            guard let handle = opendir(directory) else { continue }
            defer { closedir(handle) }
            while let entry = readdir(handle) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self) }
                if name == "." || name == ".." { continue }
                let path = directory + "/" + name
                var info = stat()
                guard lstat(path, &info) == 0 else { continue }
                if info.st_mode & S_IFMT == S_IFDIR {
                    pending.append(path)
                } else if info.st_mode & S_IFMT == S_IFREG, name.hasPrefix(Self.temporaryPrefix), Self.abandoned(name, modified: info.st_mtim.tv_sec, now: now) {
                    if unlink(path) == 0 { removed += 1 }
                }
            }
        }
        return removed
    }

    static func abandoned(_ name: String, modified: time_t, now: time_t) -> Bool {
        if now - modified > abandonedAfterSeconds { return true }
        let fields = name.dropFirst(temporaryPrefix.count).split(separator: ".", maxSplits: 1)
        guard name.hasSuffix(temporarySuffix), let pid = fields.first.flatMap({ pid_t($0) }), pid > 0 else { return true }
        // This process's own: abandoned unless one of its puts is writing it now.
        if pid == getpid() { return !writing.withLock { $0.contains(name) } }
        return kill(pid, 0) != 0 && errno == ESRCH
    }

    public func put(key: String, body: [UInt8], contentType: String) async throws(ObjectStoreError) -> StoredObject {
        try await Self.io.run { () throws(ObjectStoreError) in try putBlocking(key: key, body: body) }
    }

    /// The temporary files this process is writing (by name).
    private static let writing = Mutex<Set<String>>([])

    /// Blocking I/O, off the cooperative thread pool.
    private static let io = BlockingExecutor(label: "netchaos-local-store", concurrent: true)

    private func putBlocking(key: String, body: [UInt8]) throws(ObjectStoreError) -> StoredObject {
        let operation = "PUT \(location)/\(key)"
        let path = try filePath(key, operation: operation)
        let directory = String(path[..<path.lastIndex(of: "/")!])
        try makeDirectories(directory, operation: operation)
        let name = String(path[path.index(after: path.lastIndex(of: "/")!)...])
        let temporaryName = Self.temporaryName(for: name)
        let temporary = directory + "/" + temporaryName
        Self.writing.withLock { _ = $0.insert(temporaryName) }
        defer { Self.writing.withLock { _ = $0.remove(temporaryName) } }

        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Self.posixError(errno, operation: operation, path: temporary) }
        var failure = Self.writeAll(fd, body)
        if failure == 0, fsync(fd) != 0 { failure = errno }
        if close(fd) != 0, failure == 0 { failure = errno }
        if failure != 0 {
            unlink(temporary)
            throw Self.posixError(failure, operation: operation, path: temporary)
        }
        FailPoints.reach(.storeBeforeRename)
        guard rename(temporary, path) == 0 else {
            let failure = Self.posixError(errno, operation: operation, path: path)
            unlink(temporary)
            throw failure
        }
        FailPoints.reach(.storeAfterRenameBeforeCleanup)
        syncDirectory(directory)
        return StoredObject(key: key, size: body.count)
    }

    public func get(key: String) async throws(ObjectStoreError) -> [UInt8] {
        let operation = "GET \(location)/\(key)"
        let path = try filePath(key, operation: operation)
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Self.posixError(errno, operation: operation, path: path) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Self.posixError(errno, operation: operation, path: path) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw ObjectStoreError(.notFound, operation: operation, message: "\(path) is not a file", isRetriable: false)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(info.st_size))
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Self.posixError(errno, operation: operation, path: path)
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return bytes
    }

    public func head(key: String) async throws(ObjectStoreError) -> StoredObject? {
        let operation = "HEAD \(location)/\(key)"
        let path = try filePath(key, operation: operation)
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw Self.posixError(errno, operation: operation, path: path)
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return StoredObject(key: key, size: Int(info.st_size))
    }

    public func list(prefix: String) async throws(ObjectStoreError) -> [StoredObject] {
        let operation = "LIST \(location)/\(prefix)"
        try ObjectKey.validatePrefix(prefix, operation: operation)
        // Walk only the directory the prefix's complete segments name.
        let directoryPart = prefix.contains("/") ? String(prefix[..<prefix.lastIndex(of: "/")!]) : ""
        var objects: [StoredObject] = []
        try walk(relative: directoryPart, prefix: prefix, into: &objects, operation: operation)
        objects.sort { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        return objects
    }

    public func delete(key: String) async throws(ObjectStoreError) {
        let operation = "DELETE \(location)/\(key)"
        let path = try filePath(key, operation: operation)
        if unlink(path) != 0 {
            if errno == ENOENT || errno == ENOTDIR { return }
            throw Self.posixError(errno, operation: operation, path: path)
        }
        // Remove directories the delete left empty (best effort; never the root).
        var directory = String(path[..<path.lastIndex(of: "/")!])
        while directory.count > root.count, rmdir(directory) == 0 {
            directory = String(directory[..<directory.lastIndex(of: "/")!])
        }
    }

    // MARK: - Paths

    /// The file for `key`, after the key checks.
    func filePath(_ key: String, operation: String) throws(ObjectStoreError) -> String {
        try ObjectKey.validate(key, operation: operation)
        if key.split(separator: "/").contains(where: { $0.hasPrefix(Self.temporaryPrefix) }) {
            throw ObjectStoreError(.invalidKey, operation: operation, message: "invalid key '\(key)': names starting with '\(Self.temporaryPrefix)' are the store's temporary files", isRetriable: false)
        }
        return root + "/" + key
    }

    private func walk(relative: String, prefix: String, into objects: inout [StoredObject], operation: String) throws(ObjectStoreError) {
        let directory = relative.isEmpty ? root : root + "/" + relative
        guard let handle = opendir(directory) else {
            if errno == ENOENT || errno == ENOTDIR { return }
            throw Self.posixError(errno, operation: operation, path: directory)
        }
        defer { closedir(handle) }
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name == "." || name == ".." || name.hasPrefix(Self.temporaryPrefix) { continue }
            let key = relative.isEmpty ? name : relative + "/" + name
            var info = stat()
            guard lstat(directory + "/" + name, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                // Descend when the directory can hold keys with the prefix.
                let asPrefix = key + "/"
                if asPrefix.hasPrefix(prefix) || prefix.hasPrefix(asPrefix) {
                    try walk(relative: key, prefix: prefix, into: &objects, operation: operation)
                }
            case S_IFREG:
                if key.hasPrefix(prefix) { objects.append(StoredObject(key: key, size: Int(info.st_size))) }
            default:
                continue
            }
        }
    }

    private func makeDirectories(_ path: String, operation: String) throws(ObjectStoreError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue { return }
            throw ObjectStoreError(.io, operation: operation, message: "cannot create directory \(path): \(error.localizedDescription)", isRetriable: false)
        }
    }

    /// fsync of a directory, so a rename in it survives a crash (best effort).
    private func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    /// Writes all of `bytes`; 0 or the errno of the failure.
    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32 {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += written
            }
            return 0
        }
    }

    static func posixError(_ number: Int32, operation: String, path: String, code: ObjectStoreError.Code? = nil) -> ObjectStoreError {
        let reason = String(cString: strerror(number))
        switch number {
        case ENOENT, ENOTDIR:
            return ObjectStoreError(code ?? .notFound, operation: operation, message: "\(path): \(reason)", isRetriable: false)
        case EACCES, EPERM, EROFS:
            return ObjectStoreError(code ?? .accessDenied, operation: operation, message: "\(path): \(reason)", isRetriable: false)
        case ENOSPC, EDQUOT, EIO, EAGAIN, EINTR, EMFILE, ENFILE:
            return ObjectStoreError(code ?? .io, operation: operation, message: "\(path): \(reason)", isRetriable: true)
        default:
            return ObjectStoreError(code ?? .io, operation: operation, message: "\(path): \(reason)", isRetriable: false)
        }
    }
}
