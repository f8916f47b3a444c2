import Foundation

/// How a knob's text becomes a value: the parse (nil when unset; an error naming the key, the
/// value and `allowed` when it does not parse), what is allowed, and how a default reads in the
/// documentation.
public struct KnobParser<T: Sendable>: Sendable {
    public let allowed: String
    let read: @Sendable (ConfigValues, String) throws(ConfigurationError) -> T?
    let describe: @Sendable (T) -> String

    public init(
        allowed: String,
        describe: @escaping @Sendable (T) -> String,
        read: @escaping @Sendable (ConfigValues, String) throws(ConfigurationError) -> T?
    ) {
        self.allowed = allowed
        self.describe = describe
        self.read = read
    }

    /// This parser with a further check of the parsed value; `check` returns what is allowed
    /// when the value fails it, nil when it passes.
    public func checked(allowed: String? = nil, _ check: @escaping @Sendable (T) -> String?) -> KnobParser<T> {
        let read = self.read
        return KnobParser(allowed: allowed ?? self.allowed, describe: describe) { values, key throws(ConfigurationError) in
            guard let value = try read(values, key) else { return nil }
            if let failure = check(value) { throw values.fail(key, values.string(key) ?? "", failure) }
            return value
        }
    }
}

extension KnobParser where T == String {
    /// Any text (trimmed; blank is unset).
    public static func text(_ allowed: String) -> KnobParser { KnobParser(allowed: allowed, describe: { $0 }) { values, key in values.string(key) } }

    /// A secret: never printed by the configuration library's access log.
    public static func secret(_ allowed: String) -> KnobParser { KnobParser(allowed: allowed, describe: { _ in "none" }) { values, key in values.secret(key) } }

    /// One of `names` (any case; returned lowercased).
    public static func choice(_ names: [String]) -> KnobParser {
        let either = names.count < 2 ? names.joined() : names.dropLast().joined(separator: ", ") + " or " + names[names.count - 1]
        return KnobParser(allowed: names.joined(separator: ", "), describe: { $0 }) { values, key throws(ConfigurationError) in
            guard let value = values.string(key) else { return nil }
            guard names.contains(value.lowercased()) else { throw values.fail(key, value, either) }
            return value.lowercased()
        }
    }

    /// A generator id: 1-64 of A-Z a-z 0-9 . _ -.
    public static func generatorID() -> KnobParser {
        KnobParser(allowed: "1-64 of A-Z a-z 0-9 . _ -", describe: { $0 }) { values, key throws(ConfigurationError) in try values.generatorID(key) }
    }
}

extension KnobParser where T == [String] {
    /// A list: an array in YAML or on the command line, comma-separated in the environment.
    public static func list(_ allowed: String) -> KnobParser {
        KnobParser(allowed: allowed, describe: { $0.joined(separator: ",") }) { values, key in values.list(key) }
    }
}

extension KnobParser where T == Bool {
    public static let bool = KnobParser(allowed: "true or false", describe: { "\($0)" }) { values, key throws(ConfigurationError) in try values.bool(key) }
}

extension KnobParser where T == Int {
    /// A whole number in `range`.
    public static func int(in range: ClosedRange<Int>) -> KnobParser {
        KnobParser(allowed: "\(range.lowerBound)-\(range.upperBound)", describe: { "\($0)" }) { values, key throws(ConfigurationError) in
            try values.int(key, in: range)
        }
    }

    /// A byte size in `range` (`64KB`, `16MB`), with `example` in the message.
    public static func size(in range: ClosedRange<Int>, example: String) -> KnobParser {
        KnobParser(allowed: "\(range.lowerBound.byteText)-\(range.upperBound.byteText)", describe: { $0.byteText }) { values, key throws(ConfigurationError) in
            try values.size(key, in: range, example: example)
        }
    }

    /// A file size to rotate at, at least `minimum`; 0 is unset (no rotation).
    public static func rotation(minimum: Int) -> KnobParser {
        KnobParser(allowed: "bytes or 64KB, 100MB, 1GB; at least \(minimum.byteText)", describe: { $0.byteText }) { values, key throws(ConfigurationError) in
            try values.size(key, minimum: minimum)
        }
    }
}

extension KnobParser where T == Double {
    /// A number in `range`.
    public static func number(in range: ClosedRange<Double>) -> KnobParser {
        KnobParser(allowed: "\(range.lowerBound.compact)-\(range.upperBound.compact)", describe: { $0.compact }) { values, key throws(ConfigurationError) in
            try values.double(key, in: range)
        }
    }

    /// A probability from 0 to `max`.
    public static func probability(max: Double = 1) -> KnobParser {
        KnobParser(allowed: "0-\(max.compact)", describe: { $0.compact }) { values, key throws(ConfigurationError) in
            guard let text = values.string(key) else { return nil }
            guard let value = Double(text), value >= 0, value <= max else { throw values.fail(key, text, "a probability from 0 to \(max.compact)") }
            return value
        }
    }

    /// A number greater than 0 and at most `max`.
    public static func positive(max: Double) -> KnobParser {
        KnobParser(allowed: "> 0, at most \(max.compact)", describe: { $0.compact }) { values, key throws(ConfigurationError) in
            try values.positive(key, max: max)
        }
    }

    /// Events per second; 0 or `max` (as fast as possible) reads as 0.
    public static let rate = KnobParser(allowed: "events/s > 0 up to 100000000; 0 or max = as fast as possible", describe: { $0 == 0 ? "max" : $0.compact }) {
        values, key throws(ConfigurationError) in try values.rate(key)
    }

    /// A duration in seconds (`90`, `500ms`, `30s`, `5m`, `2h`).
    public static let duration = KnobParser(allowed: "a duration: 90, 500ms, 30s, 5m, 2h", describe: Double.durationText) {
        values, key throws(ConfigurationError) in try values.duration(key)
    }

    /// A duration in `range` seconds.
    public static func duration(in range: ClosedRange<Double>) -> KnobParser {
        duration.checked(allowed: "a duration, \(range.lowerBound.durationText)-\(range.upperBound.durationText)") { seconds in
            range.contains(seconds) ? nil : "a duration from \(range.lowerBound.durationText) to \(range.upperBound.durationText)"
        }
    }

    /// A duration of at least `minimum` seconds.
    public static func duration(atLeast minimum: Double) -> KnobParser {
        duration.checked(allowed: "a duration, at least \(minimum.durationText)") { seconds in
            seconds >= minimum ? nil : "a duration of at least \(minimum.durationText)"
        }
    }

    /// Unix seconds, or ISO-8601 UTC.
    public static let time = KnobParser(allowed: "Unix seconds or ISO-8601 UTC (2026-11-22T08:00:00Z)", describe: { $0.compact }) {
        values, key throws(ConfigurationError) in try values.startTime(key)
    }
}

extension KnobParser where T == UInt64 {
    /// A record count; 0 (continuous) reads as unset.
    public static let count = KnobParser(allowed: "records >= 0; 0 = continuous", describe: { "\($0)" }) { values, key throws(ConfigurationError) in
        try values.count(key)
    }

    /// A 64-bit seed, decimal or 0x-prefixed hex.
    public static let seed = KnobParser(allowed: "0-18446744073709551615", describe: { "\($0)" }) { values, key throws(ConfigurationError) in
        try values.seed(key)
    }
}

extension Double {
    /// `200ms`, `10s`, `5m`, `2h`: a duration as the documentation writes it.
    public static func durationText(_ seconds: Double) -> String { seconds.durationText }

    var durationText: String {
        if self < 1 { return "\((self * 1000).compact)ms" }
        if self >= 3_600, self.truncatingRemainder(dividingBy: 3_600) == 0 { return "\((self / 3_600).compact)h" }
        if self >= 300, self.truncatingRemainder(dividingBy: 60) == 0 { return "\((self / 60).compact)m" }
        return "\(self.compact)s"
    }
}
