#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Logging

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
        var line = "{\"time\":\"\(Self.timestamp())\",\"level\":\"\(event.level.rawValue)\",\"msg\":"
        JSONText.appendString(event.message.description, to: &line)
        line += ",\"logger\":"
        JSONText.appendString(label, to: &line)
        for key in merged.keys.sorted() {
            line += ","
            JSONText.appendString(key, to: &line)
            line += ":"
            JSONText.append(merged[key]!, to: &line)
        }
        line += "}\n"
        stream.write(line)
    }

    static func timestamp() -> String {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        var seconds = time_t(spec.tv_sec)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let millis = Int(spec.tv_nsec) / 1_000_000
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(millis), 3))Z"
    }
}

/// Where JSON log lines go; writes whole lines at once so lines from threads never interleave.
public struct JSONLogStream: Sendable {
    let descriptor: Int32
    public static let standardError = JSONLogStream(descriptor: 2)

    public init(descriptor: Int32) { self.descriptor = descriptor }

    func write(_ line: String) {
        var copy = line
        copy.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written <= 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }
}

/// JSON text helpers for log lines.
public enum JSONText {
    public static func appendString(_ text: String, to out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20:
                let hex = String(c.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    static func append(_ value: Logger.Metadata.Value, to out: inout String) {
        switch value {
        case .string(let text):
            appendString(text, to: &out)
        case .stringConvertible(let convertible):
            let text = convertible.description
            if convertible is any BinaryInteger || (convertible is any BinaryFloatingPoint && Double(text)?.isFinite == true) || convertible is Bool {
                out += text
            } else {
                appendString(text, to: &out)
            }
        case .dictionary(let dictionary):
            out += "{"
            for (i, key) in dictionary.keys.sorted().enumerated() {
                if i > 0 { out += "," }
                appendString(key, to: &out)
                out += ":"
                append(dictionary[key]!, to: &out)
            }
            out += "}"
        case .array(let array):
            out += "["
            for (i, item) in array.enumerated() {
                if i > 0 { out += "," }
                append(item, to: &out)
            }
            out += "]"
        }
    }
}
