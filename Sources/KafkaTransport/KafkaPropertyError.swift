/// A property librdkafka refused, with the setting it came from (``KafkaProperty/source``).
public struct KafkaPropertyError: Error, Sendable, Hashable, CustomStringConvertible {
    public var property: KafkaProperty
    /// librdkafka's reason.
    public var reason: String

    public init(property: KafkaProperty, reason: String) {
        self.property = property
        self.reason = reason
    }

    /// The value as it may be shown (a secret is not).
    public var shownValue: String { property.isSecret ? "<secret>" : property.value }

    /// What librdkafka would have taken.
    public var allowed: String { "a value librdkafka accepts for '\(property.name)' (\(reason))" }

    public var description: String { "invalid value '\(shownValue)' for \(property.source): \(allowed)" }
}
