/// Values that another configuration format gives our keys: the translation of its names to
/// ours, read through ``ConfigValues/layered(_:)`` so that the code reading the configuration sees
/// our keys only.
public struct ConfigLayer: Sendable {
    public enum Entry: Sendable, Equatable {
        case text(String)
        case list([String])
        /// The key reads as unset (the other format gave its value another meaning).
        case unset
    }

    /// Entries that replace ours: where the other format's meaning takes over the key, or builds
    /// on our value (a list it extends).
    public var replacing: [String: Entry] = [:]
    /// Entries used where our keys are not set: ours win.
    public var beneath: [String: Entry] = [:]

    public init() {}
}
