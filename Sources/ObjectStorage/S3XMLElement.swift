/// One element of an S3 XML document: its local name (namespace prefix dropped), its child
/// elements and its own text with entities decoded. Enough for S3's answers (errors, listings,
/// multipart uploads); not a general XML library.
struct S3XMLElement: Sendable, Hashable {
    var name: String
    var children: [S3XMLElement] = []
    /// The element's direct text, entities and CDATA decoded, not trimmed (keys may start or end
    /// with spaces).
    var text: String = ""

    func child(_ name: String) -> S3XMLElement? { children.first { $0.name == name } }

    func children(named name: String) -> [S3XMLElement] { children.filter { $0.name == name } }

    /// The text of the first child called `name`.
    func value(_ name: String) -> String? { child(name)?.text }

    /// `text` escaped for use as element content or an attribute value.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }
}
