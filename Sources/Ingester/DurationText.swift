/// Durations in messages: a setting as it is written (`5m`, `90s`, `1h`, `250ms`) and a span as
/// people say it (`3111 years`, `2 hours`, `301 seconds`).
enum DurationText {
    /// The shortest knob spelling that reads back the same value.
    static func setting(_ seconds: Double) -> String {
        if seconds >= 3_600, seconds.truncatingRemainder(dividingBy: 3_600) == 0 { return "\(Int64(seconds / 3_600))h" }
        if seconds >= 60, seconds.truncatingRemainder(dividingBy: 60) == 0 { return "\(Int64(seconds / 60))m" }
        if seconds == seconds.rounded() { return "\(Int64(seconds))s" }
        return "\(Int64((seconds * 1_000).rounded()))ms"
    }

    /// A span in its largest whole unit (at least two of it), rounded down; seconds below two hours
    /// (so that 301 seconds is not "5 minutes" beside a limit of 5m).
    static func span(_ seconds: Double) -> String {
        let units: [(name: String, seconds: Double)] = [("years", 31_557_600), ("days", 86_400), ("hours", 3_600)]
        for unit in units where seconds >= 2 * unit.seconds {
            return "\(Int64(seconds / unit.seconds)) \(unit.name)"
        }
        let whole = Int64(seconds.rounded(.down))
        return whole == 1 ? "1 second" : "\(whole) seconds"
    }
}
