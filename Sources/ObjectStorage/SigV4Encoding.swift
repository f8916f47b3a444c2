/// Percent-encoding as SigV4 defines `UriEncode()`: every byte of the UTF-8 form except the
/// unreserved set of RFC 3986 (`A-Z a-z 0-9 - . _ ~`) becomes `%XX` with upper-case hex; a space
/// is `%20`, never `+`.
public enum SigV4Encoding {
    /// One query name or value, or one path segment (`/` is encoded too).
    public static func encode(_ text: some StringProtocol) -> String {
        encode(text, keepingSlash: false)
    }

    /// A path: each segment encoded once, the `/` between them kept. This is S3's canonical URI
    /// for a key and what goes on the wire (`/test$file.text` -> `/test%24file.text`).
    public static func encodePath(_ path: some StringProtocol) -> String {
        encode(path, keepingSlash: true)
    }

    static func encode(_ text: some StringProtocol, keepingSlash: Bool) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isUnreserved(byte) || (keepingSlash && byte == UInt8(ascii: "/")) {
                bytes.append(byte)
            } else {
                bytes.append(UInt8(ascii: "%"))
                bytes.append(hexDigits[Int(byte >> 4)])
                bytes.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `A-Z a-z 0-9 - . _ ~`
    public static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// Upper-case hex digits, as `UriEncode()` requires.
    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)
}
