/// A list of names a field's value comes from.
public enum FlowVocabularyKind: Sendable {
    case transportProtocol, tcpFlag, anomalyLabel, malformedKind, incidentID, technique, stage

    /// The names, as an error message lists them.
    public var names: [String] {
        switch self {
        case .transportProtocol: TransportProtocol.allCases.map(\.name)
        case .tcpFlag: TCPFlags.writeOrder.map(\.1.description)
        case .anomalyLabel: AnomalyLabel.flowLabels.map(\.name)
        case .malformedKind: MalformedKind.allCases.map(\.name)
        case .incidentID: ["inc- and 16 hex digits naming a family (" + IncidentFamily.allCases.dropFirst().map { "\($0.rawValue) \($0.name)" }.joined(separator: ", ") + ") in the first byte"]
        case .technique: IncidentFamily.techniques
        case .stage: IncidentFamily.stages
        }
    }
}
