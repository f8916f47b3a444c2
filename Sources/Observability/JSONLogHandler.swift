#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Logging
import TelemetryModel

/// A swift-log handler that writes one JSON object per line:
/// `{"time":"…","level":"info","msg":"…","logger":"…", <metadata>}`. Metadata keeps its shape
/// (nested dictionaries become objects, arrays become arrays, numbers written as strings by
/// `Logger.MetadataValue.stringConvertible` stay numbers).
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let stream: JSONLogStream

    public init(label: String, level: Logger.Level = .info, stream: JSONLogStream = .standardError) {
        self.label = label
        self.logLevel = level
        self.stream = stream
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        var line = JSONWriter(capacity: 512)
        line.raw("{\"time\":\"")
        line.buffer.reserve(24)
        line.buffer.withWriter { start in
            var p = start
            ByteWriting.rfc3339(&p, millis: Self.nowMillis())
            return p
        }
        line.raw("\",\"level\":")
        line.string(event.level.rawValue)
        line.raw(",\"msg\":")
        line.string(event.message.description)
        line.raw(",\"logger\":")
        line.string(label)
        for key in merged.keys.sorted() {
            line.raw(",")
            line.string(key)
            line.raw(":")
            line.metadataValue(merged[key]!)
        }
        line.raw("}\n")
        line.withBytes { stream.write($0) }
    }

    /// Unix time in milliseconds, from the real-time clock.
    static func nowMillis() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }
}

/// Where JSON log lines go; writes whole lines at once so lines from threads never interleave.
public struct JSONLogStream: Sendable {
    let descriptor: Int32
    public static let standardError = JSONLogStream(descriptor: 2)

    public init(descriptor: Int32) { self.descriptor = descriptor }

    func write(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, base + offset, bytes.count - offset)
            if written <= 0 {
                if errno == EINTR { continue }
                return
            }
            offset += written
        }
    }
}
