import TelemetryModel

/// Syntax errors in the reader's words: `record 0: not valid JSON (expected , or } after a value,
/// found '1' at byte 15)`, from what the scanner expected where it stopped.
extension ReportJSONReader {
    /// The syntax error at the current byte, where `expected` should be (reading cannot go on).
    mutating func syntax(_ expected: String) -> Stop {
        syntax(expected, at: s.position)
    }

    /// The syntax error the scanner met (reading cannot go on).
    mutating func syntax(_ failure: JSONScanFailure) -> Stop {
        var failure = failure
        if case .invalidUTF8(_, let contents) = failure.problem {
            // A string's syntax is judged before its UTF-8: a later control character or bad
            // escape, or its missing end, is what is reported.
            s.position = contents - 1
            do throws(JSONScanFailure) {
                _ = try s.scanString(validatingUTF8: false)
                return syntax("a string must be UTF-8", at: contents)
            } catch {
                failure = error
            }
        }
        let (expected, position) = wording(failure)
        return syntax(expected, at: position)
    }

    /// What was expected and the byte where it was not found.
    private func wording(_ failure: JSONScanFailure) -> (String, Int) {
        switch failure.problem {
        case .unexpectedEnd(let expected):
            switch expected {
            case .escapedCharacter: return ("expected an escape", failure.start)
            case .lowSurrogate(let position): return (Self.text(expected), position)
            default: return (Self.text(expected), failure.start)
            }
        case .unexpectedByte(_, let expected):
            return (Self.text(expected), failure.start)
        case .invalidNumber(let expected), .invalidEscape(let expected):
            return (Self.text(expected), failure.end - 1)
        case .controlCharacter:
            return ("a control character must be escaped in a string", failure.start)
        case .loneSurrogate:
            if failure.end - failure.start == 12 { return ("a \\u escape of a low surrogate", failure.end) }
            if (0xD800...0xDBFF).contains(s.unicodeEscape(at: failure.start)) {
                return (Self.text(.lowSurrogate(at: failure.end)), failure.end)
            }
            return ("a \\u escape that is not a lone low surrogate", failure.end)
        case .tooDeep:
            return ("values nested at most \(Self.maxDepth) deep", failure.start)
        default:
            // Not met here: the validator's own problems, and leading zeros (this reader has the
            // scanner take `01` as `0` and a `1`).
            return ("valid JSON", failure.start)
        }
    }

    /// What the scanner expected, in this reader's words.
    private static func text(_ expected: JSONExpectedToken) -> String {
        switch expected {
        case .value: "expected a value"
        case .key: "expected a key in double quotes"
        case .colon: "expected : after a key"
        case .memberSeparator: "expected , or } after a value"
        case .elementSeparator: "expected , or ] in an array"
        case .literal(let literal): "expected \(literal)"
        case .digit: "expected a digit"
        case .fractionDigit: "expected a digit after the decimal point"
        case .exponentDigit: "expected a digit in the exponent"
        case .stringEnd: "expected the end of a string"
        case .escapedCharacter: "one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u after a backslash"
        case .hexDigit: "four hex digits after \\u"
        case .lowSurrogate: "a \\u escape of a high surrogate must be followed by a low one"
        }
    }

    /// `record 3: not valid JSON (expected ..., found 'x' at byte 12)`; `the body: ...` outside a
    /// record.
    private mutating func syntax(_ expected: String, at position: Int) -> Stop {
        let found: String
        if position >= s.count {
            found = "the end of the body"
        } else {
            let byte = s.byte(at: position)
            if byte >= 0x21 && byte < 0x7F {
                found = "'\(Character(Unicode.Scalar(byte)))' at byte \(position)"
            } else {
                found = "byte 0x\(String(byte, radix: 16, uppercase: true)) at byte \(position)"
            }
        }
        let place = record.map { "record \($0)" } ?? "the body"
        result.problems.append("\(place): not valid JSON (\(expected), found \(found))")
        return Stop()
    }
}
