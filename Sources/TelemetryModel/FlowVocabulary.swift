/// The strings that flow events refer to by index, shared by the generator and every encoder.
public struct FlowVocabulary: Sendable {
    /// One host name pattern: `prefix` then, when the event's host number is non-zero,
    /// `-<number>`, then `suffix` (`web` + `-17` + `.internal.prod`).
    public struct Host: Sendable, Hashable {
        public var prefix: String
        public var suffix: String
        public init(prefix: String, suffix: String) {
            self.prefix = prefix
            self.suffix = suffix
        }
    }

    public var hosts: [Host]
    public var environments: [String]
    public var regions: [String]
    /// Written in `generator_id` on every record.
    public var generatorID: String

    public init(hosts: [Host], environments: [String], regions: [String], generatorID: String) {
        self.hosts = hosts
        self.environments = environments
        self.regions = regions
        self.generatorID = generatorID
    }

    /// The full host name of an event.
    public func hostName(of event: FlowEvent) -> String {
        let host = hosts[Int(event.hostIndex)]
        return event.hostNumber == 0 ? host.prefix + host.suffix : "\(host.prefix)-\(event.hostNumber)\(host.suffix)"
    }
}
