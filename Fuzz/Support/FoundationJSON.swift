import Foundation

// MARK: - Foundation as the reference reader

enum FuzzJSON {
    /// What Foundation made of some bytes.
    enum Reading {
        case value(Any)
        /// Refused: not JSON.
        case refused
        /// Refused for a number outside Double's range (`1e400`), which RFC 8259 allows and the
        /// project's readers accept where any number is: Foundation is no reference for these.
        case numberOutOfRange
    }

    static func read(_ bytes: UnsafeRawBufferPointer) -> Reading {
        do {
            return .value(try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]))
        } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? ""
            return detail.contains("is not representable") ? .numberOutOfRange : .refused
        }
    }

    /// A JSON number's value as an Int64, when it is a whole number in range. (Foundation reads
    /// `-0` as a Double, and integers as integers.)
    static func int64(_ value: Any?) -> Int64? {
        guard let number = value as? NSNumber else { return nil }
        switch String(cString: number.objCType) {
        case "c":
            return nil  // true or false (`is Bool` holds for any NSNumber 0 or 1)
        case "d", "f":
            let double = number.doubleValue
            guard double == double.rounded(), abs(double) < 0x1p63 else { return nil }
            return Int64(double)
        case "Q":
            return number.uint64Value <= UInt64(Int64.max) ? number.int64Value : nil
        default:
            return number.int64Value
        }
    }

    /// Whether a JSON value is a string with exactly these UTF-8 bytes (not merely canonically
    /// equivalent, as `String`'s `==` would allow).
    static func sameText(_ value: Any?, _ text: String) -> Bool {
        guard let string = value as? String else { return false }
        return Array(string.utf8) == Array(text.utf8)
    }
}
