import Logging
import TelemetryModel

extension JSONWriter {
    /// A log metadata value keeping its shape: dictionaries as objects (keys sorted), arrays as
    /// arrays, integers, finite floating-point numbers and booleans given as `stringConvertible`
    /// as JSON numbers and booleans, everything else as a string.
    mutating func metadataValue(_ value: Logger.Metadata.Value) {
        switch value {
        case .string(let text):
            string(text)
        case .stringConvertible(let convertible):
            let text = convertible.description
            if convertible is any BinaryInteger || (convertible is any BinaryFloatingPoint && Double(text)?.isFinite == true) || convertible is Bool {
                raw(text)
            } else {
                string(text)
            }
        case .dictionary(let dictionary):
            raw("{")
            for (i, key) in dictionary.keys.sorted().enumerated() {
                if i > 0 { raw(",") }
                string(key)
                raw(":")
                metadataValue(dictionary[key]!)
            }
            raw("}")
        case .array(let array):
            raw("[")
            for (i, item) in array.enumerated() {
                if i > 0 { raw(",") }
                metadataValue(item)
            }
            raw("]")
        }
    }
}
