/// What ``JSONByteScanner`` was looking for where it failed: a reader's "expected ..." for its
/// own messages (the validator's do not use it).
public enum JSONExpectedToken: Sendable {
    /// The first byte of a value.
    case value
    /// A key's opening quote (or, after `{`, the `}` of an empty object).
    case key
    /// The `:` after a key.
    case colon
    /// `,` or `}` after a member's value.
    case memberSeparator
    /// `,` or `]` after an element.
    case elementSeparator
    /// The next byte of `true`, `false` or `null`.
    case literal(StaticString)
    /// A number's first digit (after `-`).
    case digit
    /// A digit after a number's decimal point.
    case fractionDigit
    /// A digit of a number's exponent (after `e` and its sign).
    case exponentDigit
    /// More of a string, up to its closing quote.
    case stringEnd
    /// The character after a backslash: one of `"` `\` `/` `b` `f` `n` `r` `t` `u`.
    case escapedCharacter
    /// One of the four hex digits after `\u`.
    case hexDigit
    /// The `\u` escape of a low surrogate, due at byte `at`, after the escape of a high one.
    case lowSurrogate(at: Int)
}
