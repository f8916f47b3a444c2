import CoreMetrics

extension CoreMetrics.Timer {
    /// Records `duration` (exact to the nanosecond).
    public func record(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
