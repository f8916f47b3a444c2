/// Sessions from one role to another, besides those a role's `clients` declare.
public struct TrafficDeclaration: Sendable, Hashable {
    public var from: String
    public var to: String
    /// The ports used (nil: every port `to` serves).
    public var ports: [ServiceEndpoint]?
    /// Share of all sessions, in the same unit as role weights.
    public var weight: Double

    public init(from: String, to: String, ports: [ServiceEndpoint]? = nil, weight: Double) {
        self.from = from
        self.to = to
        self.ports = ports
        self.weight = weight
    }
}
