/// One librdkafka property with the configuration key it came from (for error messages).
public struct KafkaProperty: Sendable, Hashable {
    public var name: String
    public var value: String
    /// The NetChaos configuration key, e.g. `kafka.compression` or `kafka.properties.socket.timeout.ms`.
    public var source: String
    public var isSecret: Bool

    public init(name: String, value: String, source: String, isSecret: Bool = false) {
        self.name = name
        self.value = value
        self.source = source
        self.isSecret = isSecret
    }
}
