/// Parts of a load curve set in the configuration; the rest comes from the level below
/// (the role's kind, then the network's `load`, then the role's own `load`).
public struct LoadCurveOverride: Sendable, Hashable {
    public var shape: LoadCurve.Shape?
    public var peakHour: Double?
    public var peakToTrough: Double?
    public var weekendFactor: Double?
    public var utcOffsetSeconds: Int?

    public init(shape: LoadCurve.Shape? = nil, peakHour: Double? = nil, peakToTrough: Double? = nil, weekendFactor: Double? = nil, utcOffsetSeconds: Int? = nil) {
        self.shape = shape
        self.peakHour = peakHour
        self.peakToTrough = peakToTrough
        self.weekendFactor = weekendFactor
        self.utcOffsetSeconds = utcOffsetSeconds
    }

    public var isEmpty: Bool { self == LoadCurveOverride() }

    /// `base` with the parts set here replaced.
    public func applied(to base: LoadCurve) -> LoadCurve {
        var curve = base
        if let shape { curve.shape = shape }
        if let peakHour { curve.peakHour = peakHour }
        if let peakToTrough { curve.peakToTrough = peakToTrough }
        if let weekendFactor { curve.weekendFactor = weekendFactor }
        if let utcOffsetSeconds { curve.utcOffsetSeconds = utcOffsetSeconds }
        return curve
    }

    /// This override, then `other` on top of it.
    public func merged(with other: LoadCurveOverride) -> LoadCurveOverride {
        LoadCurveOverride(
            shape: other.shape ?? shape, peakHour: other.peakHour ?? peakHour, peakToTrough: other.peakToTrough ?? peakToTrough,
            weekendFactor: other.weekendFactor ?? weekendFactor, utcOffsetSeconds: other.utcOffsetSeconds ?? utcOffsetSeconds
        )
    }
}
