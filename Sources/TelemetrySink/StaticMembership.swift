#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation
import TelemetryModel

/// The consumer group's static member id of this sink (`group.instance.id`), so that a sink
/// restarted after a crash takes its partitions back at once instead of after the dead member's
/// session timeout. Derived from the host name, the group, the topics and the store, with the
/// lowest free slot on this host: slot N is held by an advisory lock on a file in the temporary
/// directory for as long as the process lives (the kernel drops it when the process dies, even by
/// kill -9), so two sinks of the same group and store on one host get different ids, and a
/// restarted sink gets the id its predecessor had.
public struct StaticMembership: Sendable {
    public let instanceID: String
    /// The descriptor holding the slot's lock (kept open for the process's life).
    private let lockDescriptor: Int32

    /// Hosts beyond this many sinks of one group and store get no static id.
    static let slots = 64

    /// Claims the lowest free slot; nil when every slot is taken or the lock files cannot be made
    /// (the sink then joins as a dynamic member).
    public static func claim(group: String, topics: [String], store: String, directory: String = NSTemporaryDirectory()) -> StaticMembership? {
        let host = hostName()
        let tag = tag(group: group, topics: topics, store: store)
        for slot in 0..<slots {
            let path = (directory.hasSuffix("/") ? directory : directory + "/") + "netchaos-sink-\(tag).\(slot).lock"
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            guard fd >= 0 else { return nil }
            if flock(fd, LOCK_EX | LOCK_NB) == 0 {
                let id = "netchaos-sink-\(host)-\(tag.prefix(8))-\(slot)"
                return StaticMembership(instanceID: String(id.prefix(249)), lockDescriptor: fd)
            }
            close(fd)
        }
        return nil
    }

    /// Gives the slot up (a process that dies gives it up without calling this).
    public func release() {
        flock(lockDescriptor, LOCK_UN)
        close(lockDescriptor)
    }

    static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "host" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let cleaned = name.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") ? $0 : "-" }
        return cleaned.isEmpty ? "host" : String(cleaned.prefix(64))
    }

    /// What names the lock files: 16 hex digits of the group, the topics and the store.
    static func tag(group: String, topics: [String], store: String) -> String {
        String(format: "%016llx", FNV1a.hash("\(group)|\(topics.sorted().joined(separator: ","))|\(store)"))
    }
}
