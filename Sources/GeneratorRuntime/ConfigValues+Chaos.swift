import ChaosEngine
import Settings

extension ConfigValues {
    /// A probability from 0 to `max`.
    public func probability(_ key: String, max: Double = 1) throws(ConfigurationError) -> Probability? {
        guard let text = string(key) else { return nil }
        guard let value = Double(text), value >= 0, value <= max, let probability = Probability(value) else {
            throw fail(key, text, "a probability from 0 to \(max.compact)")
        }
        return probability
    }
}
