/// A small, strict-enough XML reader for S3 responses: elements, text, the five named entities
/// and numeric references, CDATA; declarations, comments and DOCTYPE are skipped; attributes are
/// read over (quotes respected) and ignored. Returns nil for a document that is not well formed
/// in these terms (unbalanced tags, no root element).
enum S3XMLParser {
    static func parse(_ bytes: some Collection<UInt8>) -> S3XMLElement? {
        var reader = Reader(bytes: Array(bytes))
        return reader.document()
    }

    private struct Reader {
        let bytes: [UInt8]
        var index = 0
        var stack: [S3XMLElement] = []
        var root: S3XMLElement?

        init(bytes: [UInt8]) {
            self.bytes = bytes
            // A UTF-8 byte order mark.
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        }

        mutating func document() -> S3XMLElement? {
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: "<") {
                    guard markup() else { return nil }
                } else {
                    let start = index
                    while index < bytes.count, bytes[index] != UInt8(ascii: "<") { index += 1 }
                    if !stack.isEmpty {
                        stack[stack.count - 1].text += Self.decodeEntities(bytes[start..<index])
                    } else if bytes[start..<index].contains(where: { !Self.isSpace($0) }) {
                        return nil  // text outside the root element
                    }
                }
            }
            return stack.isEmpty ? root : nil
        }

        /// One piece of markup starting at `<`; false when malformed.
        private mutating func markup() -> Bool {
            if starts(with: "<?") { return skip(past: "?>") }
            if starts(with: "<!--") { return skip(past: "-->") }
            if starts(with: "<![CDATA[") {
                let start = index + 9
                guard skip(past: "]]>"), !stack.isEmpty else { return false }
                stack[stack.count - 1].text += String(decoding: bytes[start..<(index - 3)], as: UTF8.self)
                return true
            }
            if starts(with: "<!") { return skip(past: ">") }
            if starts(with: "</") {
                index += 2
                let name = readName()
                while index < bytes.count, Self.isSpace(bytes[index]) { index += 1 }
                guard index < bytes.count, bytes[index] == UInt8(ascii: ">"), let element = stack.popLast(), element.name == name else {
                    return false
                }
                index += 1
                close(element)
                return true
            }
            index += 1
            let name = readName()
            guard !name.isEmpty, root == nil || !stack.isEmpty else { return false }
            // Attributes: skipped, with quoted values that may hold `>`.
            var quote: UInt8?
            var selfClosing = false
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                if let open = quote {
                    if byte == open { quote = nil }
                } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                    quote = byte
                } else if byte == UInt8(ascii: ">") {
                    selfClosing = index >= 2 && bytes[index - 2] == UInt8(ascii: "/")
                    let element = S3XMLElement(name: name)
                    if selfClosing { close(element) } else { stack.append(element) }
                    return true
                }
            }
            return false
        }

        private mutating func close(_ element: S3XMLElement) {
            if stack.isEmpty {
                root = element
            } else {
                stack[stack.count - 1].children.append(element)
            }
        }

        /// A tag name without its namespace prefix.
        private mutating func readName() -> String {
            let start = index
            while index < bytes.count {
                let byte = bytes[index]
                if Self.isSpace(byte) || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "/") { break }
                index += 1
            }
            let name = String(decoding: bytes[start..<index], as: UTF8.self)
            if let colon = name.lastIndex(of: ":") { return String(name[name.index(after: colon)...]) }
            return name
        }

        private func starts(with text: StaticString) -> Bool {
            let count = text.utf8CodeUnitCount
            guard index + count <= bytes.count else { return false }
            return text.withUTF8Buffer { prefix in
                (0..<count).allSatisfy { bytes[index + $0] == prefix[$0] }
            }
        }

        /// Moves past the next `terminator`; false when there is none.
        private mutating func skip(past terminator: StaticString) -> Bool {
            let needle = terminator.withUTF8Buffer { Array($0) }
            var position = index
            while position + needle.count <= bytes.count {
                if bytes[position] == needle[0], bytes[position..<(position + needle.count)].elementsEqual(needle) {
                    index = position + needle.count
                    return true
                }
                position += 1
            }
            return false
        }

        static func isSpace(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\t")
        }

        /// `&amp;` `&lt;` `&gt;` `&quot;` `&apos;` `&#NN;` `&#xNN;`; anything else is kept as written.
        static func decodeEntities(_ slice: ArraySlice<UInt8>) -> String {
            guard slice.contains(UInt8(ascii: "&")) else { return String(decoding: slice, as: UTF8.self) }
            var out: [UInt8] = []
            out.reserveCapacity(slice.count)
            var position = slice.startIndex
            while position < slice.endIndex {
                let byte = slice[position]
                guard byte == UInt8(ascii: "&"),
                      let semicolon = slice[position...].prefix(12).firstIndex(of: UInt8(ascii: ";"))
                else {
                    out.append(byte)
                    position += 1
                    continue
                }
                let entity = String(decoding: slice[(position + 1)..<semicolon], as: UTF8.self)
                var replacement: String?
                switch entity {
                case "amp": replacement = "&"
                case "lt": replacement = "<"
                case "gt": replacement = ">"
                case "quot": replacement = "\""
                case "apos": replacement = "'"
                default:
                    var number: UInt32?
                    if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                        number = UInt32(entity.dropFirst(2), radix: 16)
                    } else if entity.hasPrefix("#") {
                        number = UInt32(entity.dropFirst())
                    }
                    if let number, let scalar = Unicode.Scalar(number) { replacement = String(Character(scalar)) }
                }
                if let replacement {
                    out.append(contentsOf: replacement.utf8)
                    position = semicolon + 1
                } else {
                    out.append(byte)
                    position += 1
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
    }
}
