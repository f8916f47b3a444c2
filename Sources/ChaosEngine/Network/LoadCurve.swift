import Foundation

/// How busy a role is over the day and the week: a smooth daily wave with its peak at `peakHour`
/// (local time) and `peakToTrough` between its highest and lowest hour, times `weekendFactor` on
/// Saturdays and Sundays (blended over the six hours each side of midnight). Values are normalised so that the mean over a week is 1, which makes a
/// configured rate the weekly mean rate. A flat curve is 1 everywhere.
public struct LoadCurve: Sendable, Hashable, CustomStringConvertible {
    public enum Shape: String, Sendable, Hashable {
        /// A raised cosine over the day.
        case diurnal
        /// 1 at every moment.
        case flat
    }

    public var shape: Shape
    /// Local hour of the daily peak, 0..<24 (fractions allowed).
    public var peakHour: Double
    /// Ratio of the busiest to the quietest hour, at least 1.
    public var peakToTrough: Double
    /// Activity on Saturday and Sunday relative to a weekday, greater than 0.
    public var weekendFactor: Double
    /// Local time minus UTC, in seconds.
    public var utcOffsetSeconds: Int

    public init(shape: Shape = .diurnal, peakHour: Double = 14, peakToTrough: Double = 3, weekendFactor: Double = 0.6, utcOffsetSeconds: Int = 0) {
        self.shape = shape
        self.peakHour = peakHour
        self.peakToTrough = peakToTrough
        self.weekendFactor = weekendFactor
        self.utcOffsetSeconds = utcOffsetSeconds
    }

    public static let flat = LoadCurve(shape: .flat)

    /// Hours on each side of midnight over which a weekend day's activity blends with its
    /// neighbour's.
    public static let weekendRampHours = 6.0

    /// Amplitude of the cosine: (1 + a) / (1 - a) = peakToTrough.
    @inline(__always)
    var amplitude: Double { (peakToTrough - 1) / (peakToTrough + 1) }

    /// The weekly mean of the unnormalised curve: the cosine averages out over whole days.
    @inline(__always)
    var weeklyMean: Double { (5 + 2 * weekendFactor) / 7 }

    /// The highest value the curve takes.
    public var maximum: Double {
        guard shape == .diurnal else { return 1 }
        return (1 + amplitude) * max(1, weekendFactor) / weeklyMean
    }

    /// The curve at `unixSeconds`.
    @inline(__always)
    public func value(at unixSeconds: Double) -> Double {
        guard shape == .diurnal else { return 1 }
        let local = unixSeconds + Double(utcOffsetSeconds)
        let day = (local / 86_400).rounded(.down)
        let hour = (local - day * 86_400) / 3_600
        // 1970-01-01 was a Thursday: day 0 -> weekday 4 (Sunday 0 ... Saturday 6).
        func factor(_ day: Double) -> Double {
            let weekday = (Int(day) % 7 + 7 + 4) % 7
            return weekday == 0 || weekday == 6 ? weekendFactor : 1
        }
        // Weekends begin and end over the hours around midnight, not at one stroke (the blend is
        // symmetric, so the weekly mean stays 1).
        var dayFactor = factor(day)
        let ramp = Self.weekendRampHours
        if hour < ramp {
            dayFactor += (factor(day - 1) - dayFactor) * (ramp - hour) / (2 * ramp)
        } else if hour > 24 - ramp {
            dayFactor += (factor(day + 1) - dayFactor) * (hour - (24 - ramp)) / (2 * ramp)
        }
        return (1 + amplitude * cos(2 * Double.pi * (hour - peakHour) / 24)) * dayFactor / weeklyMean
    }

    public var description: String {
        guard shape == .diurnal else { return "flat" }
        return "diurnal(peak \(peakHour)h, \(peakToTrough)x, weekend \(weekendFactor), UTC\(utcOffsetSeconds >= 0 ? "+" : "")\(utcOffsetSeconds / 3600))"
    }
}

/// A load curve sampled once per minute of the week, so that the simulation reads it with an
/// integer division and a load (no cosine per session). Flat curves have no table.
public struct CurveTable: Sendable {
    private let values: [Float]
    public let maximum: Double
    /// The quietest minute of the week.
    public let minimum: Double
    public let isFlat: Bool

    public static let minutesPerWeek = 10_080

    public init(_ curve: LoadCurve) {
        isFlat = curve.shape == .flat
        // Minute m of the table is UTC minute m of any week counted from the epoch (a Thursday);
        // the curve applies its own time zone.
        values = isFlat ? [] : (0..<Self.minutesPerWeek).map { Float(curve.value(at: Double($0) * 60 + 30)) }
        maximum = isFlat ? 1 : Double(values.max() ?? 1)
        minimum = isFlat ? 1 : Double(values.min() ?? 1)
    }

    /// The curve during the minute holding `ms` (Unix milliseconds).
    @inline(__always)
    public func value(atMs ms: Int64) -> Double {
        guard !isFlat else { return 1 }
        let minute = ms >= 0 ? ms / 60_000 : (ms - 59_999) / 60_000
        let index = Int(minute % Int64(Self.minutesPerWeek))
        return Double(values[index < 0 ? index + Self.minutesPerWeek : index])
    }
}
