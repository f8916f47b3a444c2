#if canImport(Glibc)
import Glibc
#endif

/// A one-line live display on a terminal: each update redraws the line in place.
public final class ProgressLine: Sendable {
    private let descriptor: Int32

    public init(descriptor: Int32 = 2) { self.descriptor = descriptor }

    /// Whether `descriptor` is a terminal.
    public static func isTerminal(_ descriptor: Int32 = 2) -> Bool { isatty(descriptor) == 1 }

    /// Replaces the line with `text` (cut to 200 characters).
    public func update(_ text: String) {
        emit("\r\u{1B}[2K" + String(text.prefix(200)))
    }

    /// Clears the line so that normal output can follow.
    public func clear() { emit("\r\u{1B}[2K") }

    private func emit(_ text: String) {
        var copy = text
        copy.withUTF8 { _ = Glibc.write(descriptor, $0.baseAddress, $0.count) }
    }
}

/// Human-readable numbers for logs and the progress line.
public enum HumanFormat {
    /// `1.23M`, `45.6K`, `789`.
    public static func count(_ value: Double) -> String {
        switch value {
        case 1e9...: String(format1(value / 1e9)) + "G"
        case 1e6...: String(format1(value / 1e6)) + "M"
        case 1e4...: String(format1(value / 1e3)) + "K"
        default: String(Int(value.rounded()))
        }
    }

    /// `12.3 MiB`.
    public static func bytes(_ value: UInt64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var amount = Double(value)
        var unit = 0
        while amount >= 1024 && unit < units.count - 1 {
            amount /= 1024
            unit += 1
        }
        return unit == 0 ? "\(value) B" : "\(format1(amount)) \(units[unit])"
    }

    static func format1(_ value: Double) -> String {
        let scaled = (value * 100).rounded() / 100
        return String(scaled)
    }
}
