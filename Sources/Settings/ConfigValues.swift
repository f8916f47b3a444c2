import Configuration
import Foundation

/// Reads knobs as text from a `ConfigReader` and parses them with messages that name the key,
/// the value and what is allowed. (Typed getters of swift-configuration return nil on a value
/// that does not convert; reading text keeps a bad value from passing as "unset".)
public struct ConfigValues: Sendable {
    public let reader: ConfigReader
    /// Another format's values for our keys, over and under the reader's.
    private var layer = ConfigLayer()
    /// The section these values are scoped to (`kafka`), empty for the whole configuration.
    public private(set) var scope = ""

    public init(_ reader: ConfigReader) { self.reader = reader }

    // Reading by key is for this module: other modules read knobs through their `Setting`
    // (`value(_:)`), so every key they read is declared.

    /// Whether a configuration file or the environment sets `key`, a key that is no knob but is
    /// accepted (the message producer's `data.*` files, noted as not read).
    public func isPresent(_ key: String) -> Bool { string(key) != nil }

    /// These values seen from inside `section` (`kafka`, `s3`): keys are relative to it
    /// (`brokers` reads `kafka.brokers`), and errors name the whole key.
    public func scoped(to section: String) -> ConfigValues {
        var copy = self
        copy.scope = key(section)
        return copy
    }

    /// The whole key of `key` in this scope.
    public func key(_ key: String) -> String { scope.isEmpty ? key : scope + "." + key }

    /// These values with `layer`'s entries replacing or beneath the reader's.
    public func layered(_ layer: ConfigLayer) -> ConfigValues {
        var copy = self
        copy.layer = layer
        return copy
    }

    func string(_ key: String) -> String? {
        let key = self.key(key)
        if let entry = layer.replacing[key] { return Self.text(entry) }
        if let text = reader.string(forKey: ConfigKey(key)) {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if !trimmed.isEmpty { return trimmed }
        }
        return layer.beneath[key].flatMap(Self.text)
    }

    private static func text(_ entry: ConfigLayer.Entry) -> String? {
        switch entry {
        case .text(let text): text
        case .list(let items): items.joined(separator: ",")
        case .unset: nil
        }
    }

    private static func items(_ entry: ConfigLayer.Entry) -> [String]? {
        switch entry {
        case .text(let text): text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        case .list(let items): items
        case .unset: nil
        }
    }

    /// Whether `key` is set to nothing but blanks and commas (`--kafka-brokers ''`, `KAFKA_BROKERS=`):
    /// for a list, an error rather than "unset" (which would mean the default).
    func isBlankList(_ key: String) -> Bool {
        let key = self.key(key)
        if let array = reader.stringArray(forKey: ConfigKey(key)) {
            return array.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty }
        }
        guard let text = reader.string(forKey: ConfigKey(key)) else { return false }
        return text.split(separator: ",").allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty }
    }

    /// A secret (a password): never printed by the configuration library's access log.
    func secret(_ key: String) -> String? {
        let key = self.key(key)
        guard let text = reader.string(forKey: ConfigKey(key), isSecret: true) else { return nil }
        return text.isEmpty ? nil : text
    }

    /// A list: an array in YAML or on the command line, comma-separated in the environment.
    func list(_ key: String) -> [String]? {
        let key = self.key(key)
        if let entry = layer.replacing[key] { return Self.items(entry) }
        if let array = reader.stringArray(forKey: ConfigKey(key)) {
            return array.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        if let text = reader.string(forKey: ConfigKey(key)), !text.trimmingCharacters(in: .whitespaces).isEmpty {
            return Self.items(.text(text))
        }
        return layer.beneath[key].flatMap(Self.items)
    }

    func fail(_ key: String, _ value: String, _ allowed: String) -> ConfigurationError {
        ConfigurationError(key: self.key(key), value: value, allowed: allowed)
    }

    func bool(_ key: String) throws(ConfigurationError) -> Bool? {
        guard let text = string(key) else { return nil }
        switch text.lowercased() {
        case "true", "yes", "1", "on": return true
        case "false", "no", "0", "off": return false
        default: throw fail(key, text, "true or false")
        }
    }

    func int(_ key: String, in range: ClosedRange<Int>) throws(ConfigurationError) -> Int? {
        guard let text = string(key) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw fail(key, text, "a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    func double(_ key: String, in range: ClosedRange<Double>) throws(ConfigurationError) -> Double? {
        guard let text = string(key) else { return nil }
        guard let value = Double(text), value.isFinite, range.contains(value) else {
            throw fail(key, text, "a number from \(range.lowerBound.compact) to \(range.upperBound.compact)")
        }
        return value
    }

    func positive(_ key: String, max: Double) throws(ConfigurationError) -> Double? {
        guard let text = string(key) else { return nil }
        guard let value = Double(text), value.isFinite, value > 0, value <= max else {
            throw fail(key, text, "a number greater than 0 and at most \(max.compact)")
        }
        return value
    }

    /// Events per second: a positive number, or `0` / `max` for as fast as possible (returned as 0).
    func rate(_ key: String) throws(ConfigurationError) -> Double? {
        guard let text = string(key) else { return nil }
        if text.lowercased() == "max" { return 0 }
        guard let value = Double(text), value.isFinite, value >= 0, value <= 100_000_000 else {
            throw fail(key, text, "events per second from 0 to 100000000, or 'max' (0 and max mean as fast as possible)")
        }
        return value
    }

    /// A record count; 0 means continuous (as the message producer's `producer.message_count`).
    func count(_ key: String) throws(ConfigurationError) -> UInt64? {
        guard let text = string(key) else { return nil }
        guard let value = UInt64(text.replacingOccurrences(of: "_", with: "")) else {
            throw fail(key, text, "a whole number of records >= 0 (0 means continuous)")
        }
        return value == 0 ? nil : value
    }

    /// A duration: plain seconds or a number with `ms`, `s`, `m` or `h`.
    func duration(_ key: String) throws(ConfigurationError) -> Double? {
        guard let text = string(key) else { return nil }
        guard let value = Self.parseDuration(text) else {
            throw fail(key, text, "a positive duration such as 90, 500ms, 30s, 5m or 2h")
        }
        return value
    }

    /// Seconds in `90`, `500ms`, `30s`, `5m`, `2h`, `1d`; nil when not a positive duration.
    public static func parseDuration(_ text: String) -> Double? {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3_600), ("d", 86_400)]
        var number = Substring(text)
        var scale = 1.0
        for (suffix, factor) in units where text.lowercased().hasSuffix(suffix) {
            number = text.dropLast(suffix.count)
            scale = factor
            break
        }
        guard let value = Double(number), value.isFinite, value > 0 else { return nil }
        return value * scale
    }

    /// A byte size: plain bytes or a number with KB, MB, GB (powers of 1024); 0 means none
    /// (for rotation).
    func size(_ key: String, minimum: Int) throws(ConfigurationError) -> Int? {
        guard let text = string(key) else { return nil }
        guard let bytes = Self.bytes(text) else {
            throw fail(key, text, "a size such as 65536, 64KB, 100MB or 1GB (0 turns rotation off)")
        }
        if bytes == 0 { return nil }
        guard bytes >= minimum else { throw fail(key, text, "at least \(minimum / 1024)KB, or 0 for no rotation") }
        return bytes
    }

    /// A byte size within `range` (0 is a size like any other here, not "none"); the message
    /// names the range and gives `example`.
    func size(_ key: String, in range: ClosedRange<Int>, example: String) throws(ConfigurationError) -> Int? {
        guard let text = string(key) else { return nil }
        guard let bytes = Self.bytes(text), range.contains(bytes) else {
            throw fail(key, text, "a size from \(range.lowerBound.byteText) to \(range.upperBound.byteText), such as \(example)")
        }
        return bytes
    }

    /// Bytes in `65536`, `64KB`, `100MB`, `1GB` (also KiB/K, MiB/M, GiB/G, B); nil when not a size.
    static func bytes(_ text: String) -> Int? {
        let upper = text.uppercased()
        let units: [(String, Int)] = [("KIB", 1 << 10), ("MIB", 1 << 20), ("GIB", 1 << 30), ("KB", 1 << 10), ("MB", 1 << 20), ("GB", 1 << 30), ("K", 1 << 10), ("M", 1 << 20), ("G", 1 << 30), ("B", 1)]
        var number = Substring(upper)
        var scale = 1
        for (suffix, factor) in units where upper.hasSuffix(suffix) {
            number = upper.dropLast(suffix.count)
            scale = factor
            break
        }
        guard let value = Double(number.trimmingCharacters(in: .whitespaces)), value >= 0, value * Double(scale) < 1e15 else {
            return nil
        }
        return Int(value * Double(scale))
    }

    func seed(_ key: String) throws(ConfigurationError) -> UInt64? {
        guard let text = string(key) else { return nil }
        if let value = UInt64(text) { return value }
        if text.lowercased().hasPrefix("0x"), let value = UInt64(text.dropFirst(2), radix: 16) { return value }
        throw fail(key, text, "a whole number from 0 to 18446744073709551615 (or 0x-prefixed hex)")
    }

    /// Unix seconds, or ISO-8601 UTC with or without fractional seconds.
    func startTime(_ key: String) throws(ConfigurationError) -> Double? {
        guard let text = string(key) else { return nil }
        guard let seconds = Self.parseTime(text) else { throw fail(key, text, "Unix seconds or an ISO-8601 time such as 2026-11-22T08:00:00Z") }
        return seconds
    }

    /// Unix seconds in `1795334400` or `2026-11-22T08:00:00Z` (fractional seconds allowed); nil
    /// when neither.
    public static func parseTime(_ text: String) -> Double? {
        if let seconds = Double(text), seconds.isFinite, seconds >= 0, seconds < 253_402_300_800 { return seconds }
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date.timeIntervalSince1970 }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)?.timeIntervalSince1970
    }

    func generatorID(_ key: String) throws(ConfigurationError) -> String? {
        guard let text = string(key) else { return nil }
        guard text.count <= 64, text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) else {
            throw fail(key, text, "1-64 characters of A-Z a-z 0-9 . _ -")
        }
        return text
    }
}

extension Int {
    /// 1KB, 16MB, 2GB for messages (bytes when not a whole number of units).
    var byteText: String {
        if self >= 1 << 30, self % (1 << 30) == 0 { return "\(self >> 30)GB" }
        if self >= 1 << 20, self % (1 << 20) == 0 { return "\(self >> 20)MB" }
        if self >= 1 << 10, self % (1 << 10) == 0 { return "\(self >> 10)KB" }
        return "\(self) bytes"
    }
}

extension Double {
    /// Whole numbers without a decimal point, others as usual (for messages).
    public var compact: String { self == rounded() && abs(self) < 1e15 ? String(Int64(self)) : String(self) }
}
