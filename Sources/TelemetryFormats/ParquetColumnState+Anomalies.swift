import TelemetryModel

extension ParquetColumnState {
    /// Appends a record's anomalies as one row of the `anomalies` list column (dictionary-keyed
    /// names; an empty set is a null list).
    mutating func appendAnomalies(_ anomalies: AnomalySet) {
        var bits = anomalies.rawValue
        if bits == 0 { appendNull(definition: 0) }
        var repetition: UInt8 = 0
        while bits != 0 {
            let anomaly = AnomalyLabel(rawValue: UInt8(bits.trailingZeroBitCount))!
            append(key: UInt64(anomaly.rawValue), repetition: repetition) { $0.append(anomaly.staticName) }
            repetition = 1
            bits &= bits - 1
        }
    }
}
