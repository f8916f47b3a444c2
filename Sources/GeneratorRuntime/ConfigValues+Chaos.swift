import ChaosEngine
import Settings

extension ConfigValues {
    /// A probability knob as the chaos engine takes it (its parser keeps it within 0...1).
    func probability(_ setting: Setting<Double>) throws(ConfigurationError) -> Probability {
        let value = try value(setting)
        guard let probability = Probability(value) else { throw fail(setting, String(value), "a probability from 0 to 1") }
        return probability
    }
}
